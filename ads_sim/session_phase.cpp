#include "ads_sim/session_phase.hpp"

namespace ads_sim {

session_phase next_phase(session_phase phase, session_event event) {
  using p = session_phase;
  using e = session_event;
  if (phase == p::closing || phase == p::upgraded) return phase;
  switch (event) {
    case e::handshake_done:
      return phase == p::handshaking ? p::reading : phase;
    case e::request_read:
      return phase == p::reading ? p::handling : phase;
    case e::request_bad:
      // Answering needs the write side: when an answer is being written, the connection closes after it.
      if (phase == p::reading) return p::answering_last;
      return writes_in(phase) ? p::answering_last : p::closing;
    case e::read_ended:
    case e::close:
      return writes_in(phase) ? p::answering_last : p::closing;
    case e::core_answered:
      return phase == p::handling ? p::answering : phase;
    case e::core_answered_last:
      return phase == p::handling ? p::answering_last : phase;
    case e::core_dropped:
      return phase == p::handling ? p::closing : phase;
    case e::core_upgraded:
      return phase == p::handling ? p::upgraded : phase;
    case e::write_done:
      switch (phase) {
        case p::answering: return p::reading;
        case p::answering_last: return p::closing;
        default: return phase;
      }
    case e::write_failed:
      return p::closing;
  }
  return phase;
}

bool reads_in(session_phase phase) { return phase == session_phase::reading; }

bool writes_in(session_phase phase) {
  return phase == session_phase::answering || phase == session_phase::answering_last;
}

std::string_view phase_name(session_phase phase) {
  switch (phase) {
    case session_phase::handshaking: return "handshaking";
    case session_phase::reading: return "reading";
    case session_phase::handling: return "handling";
    case session_phase::answering: return "answering";
    case session_phase::answering_last: return "answering_last";
    case session_phase::closing: return "closing";
    case session_phase::upgraded: return "upgraded";
  }
  return "?";
}

}  // namespace ads_sim
