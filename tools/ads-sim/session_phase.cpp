#include "tools/ads-sim/session_phase.hpp"

namespace ads_sim {

session_phase next_phase(session_phase phase, session_event event) {
  using p = session_phase;
  using e = session_event;
  if (phase == p::closing) return p::closing;
  switch (event) {
    case e::handshake_done:
      return phase == p::handshaking ? p::reading : phase;
    case e::request_read:
      switch (phase) {
        case p::reading: return p::handling;
        // The client spoke while its poll was held or being answered: that answer first, then this request.
        case p::held:
        case p::finishing_poll: return p::finishing_poll_queued;
        case p::answering_poll: return p::answering_poll_queued;
        default: return phase;
      }
    case e::request_bad:
      // Answering needs the write side: when an answer is being written, the connection closes after it.
      if (phase == p::reading) return p::answering_last;
      return writes_in(phase) ? p::answering_last : p::closing;
    case e::read_ended:
    case e::close:
      return writes_in(phase) ? p::answering_last : p::closing;
    case e::core_answered:
      switch (phase) {
        case p::handling:
        case p::handling_woken: return p::answering;
        case p::finishing_poll: return p::answering_poll;
        case p::finishing_poll_queued: return p::answering_poll_queued;
        default: return phase;
      }
    case e::core_answered_last:
      switch (phase) {
        case p::handling:
        case p::handling_woken:
        case p::finishing_poll:
        case p::finishing_poll_queued: return p::answering_last;
        default: return phase;
      }
    case e::core_held:
      if (phase == p::handling) return p::held;
      // Woken between the core's check and this event: answer now with what is queued.
      return phase == p::handling_woken ? p::finishing_poll : phase;
    case e::core_dropped:
      return phase == p::handling || phase == p::handling_woken ? p::closing : phase;
    case e::poll_due:
      if (phase == p::held) return p::finishing_poll;
      return phase == p::handling ? p::handling_woken : phase;
    case e::write_done:
      switch (phase) {
        case p::answering:
        case p::answering_poll: return p::reading;
        case p::answering_poll_queued: return p::handling;
        case p::answering_last: return p::closing;
        default: return phase;
      }
    case e::write_failed:
      return p::closing;
  }
  return phase;
}

bool reads_in(session_phase phase) {
  using p = session_phase;
  return phase == p::reading || phase == p::held || phase == p::finishing_poll || phase == p::answering_poll;
}

bool writes_in(session_phase phase) {
  using p = session_phase;
  return phase == p::answering || phase == p::answering_poll || phase == p::answering_poll_queued ||
         phase == p::answering_last;
}

std::string_view phase_name(session_phase phase) {
  switch (phase) {
    case session_phase::handshaking: return "handshaking";
    case session_phase::reading: return "reading";
    case session_phase::handling: return "handling";
    case session_phase::handling_woken: return "handling_woken";
    case session_phase::held: return "held";
    case session_phase::finishing_poll: return "finishing_poll";
    case session_phase::finishing_poll_queued: return "finishing_poll_queued";
    case session_phase::answering: return "answering";
    case session_phase::answering_poll: return "answering_poll";
    case session_phase::answering_poll_queued: return "answering_poll_queued";
    case session_phase::answering_last: return "answering_last";
    case session_phase::closing: return "closing";
  }
  return "?";
}

}  // namespace ads_sim
