#include "apca/link_state.hpp"

namespace apca {

namespace {

using state = link_state;

// A failure while trying: said once, and the state remembers what to announce once up.
state after_failure(state from) {
  switch (from) {
    case state::connecting: return state::connect_failed;
    case state::rewaking: return state::rewake_failed;
    case state::online: return state::lost;
    default: return from;  // already failed, refused or lost: nothing new
  }
}

state after_refusal(state from) {
  switch (from) {
    case state::connecting:
    case state::connect_failed: return state::refused;
    case state::rewaking:
    case state::rewake_failed: return state::rewake_refused;
    case state::online:
    case state::lost: return state::lost_refused;
    default: return from;
  }
}

}  // namespace

link_state next_link_state(link_state from, link_event event) {
  const bool enabled = link_enabled(from);
  switch (event) {
    case link_event::enable: return state::connecting;
    case link_event::disable: return state::disabled;
    case link_event::disable_after_sends: return from == state::online ? state::draining : state::disabled;
    case link_event::drained: return from == state::draining ? state::disabled : from;
    case link_event::rewake: return from == state::disabled ? state::rewaking : from;
    case link_event::up: return enabled ? state::online : from;
    case link_event::failed:
      // A draining disable whose connection breaks has nothing left to wait for.
      return from == state::draining ? state::disabled : after_failure(from);
    case link_event::refused: return from == state::draining ? state::disabled : after_refusal(from);
    case link_event::network_lost: return from == state::online ? state::lost : from;
    case link_event::stop: return state::disabled;
  }
  return from;
}

link_greeting greeting_of(link_state s) {
  switch (s) {
    case state::connecting:
    case state::connect_failed:
    case state::refused: return link_greeting::ready;
    case state::rewaking:
    case state::rewake_failed:
    case state::rewake_refused: return link_greeting::rewake;
    default: return link_greeting::none;
  }
}

bool link_enabled(link_state s) { return s != state::disabled && s != state::draining; }

bool link_error_said(link_state s) {
  switch (s) {
    case state::connect_failed:
    case state::rewake_failed:
    case state::refused:
    case state::rewake_refused:
    case state::lost_refused: return true;
    default: return false;
  }
}

bool link_refused(link_state s) {
  return s == state::refused || s == state::rewake_refused || s == state::lost_refused;
}

connection_status status_of(link_state s, bool listening) {
  if (s == state::online) return {listening ? 1 : 0, 0};
  if (link_refused(s)) return {3, 1};
  if (s == state::connect_failed || s == state::rewake_failed || s == state::lost) return {3, 3};
  return {15, 0};  // connecting
}

std::string_view link_state_name(link_state s) {
  switch (s) {
    case state::disabled: return "disabled";
    case state::draining: return "draining";
    case state::connecting: return "connecting";
    case state::rewaking: return "rewaking";
    case state::connect_failed: return "connect_failed";
    case state::rewake_failed: return "rewake_failed";
    case state::refused: return "refused";
    case state::rewake_refused: return "rewake_refused";
    case state::online: return "online";
    case state::lost: return "lost";
    case state::lost_refused: return "lost_refused";
  }
  return "?";
}

}  // namespace apca
