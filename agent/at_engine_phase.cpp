#include "agent/at_engine_phase.hpp"

namespace agent {

engine_phase next_engine_phase(engine_phase from, engine_event event) {
  using phase = engine_phase;
  switch (event) {
    case engine_event::start: return from == phase::off ? phase::idle : from;
    case engine_event::stop: return phase::off;
    case engine_event::line_read: return from == phase::idle ? phase::running : from;
    case engine_event::call:
      return from == phase::running || from == phase::collecting ? phase::calling : from;
    case engine_event::returned: return from == phase::calling || from == phase::answered ? phase::running : from;
    case engine_event::returned_held:
      // The result complete() gave during the call ends the command now.
      if (from == phase::answered) return phase::running;
      return from == phase::calling ? phase::held : from;
    case engine_event::completed:
      if (from == phase::calling) return phase::answered;
      return from == phase::held ? phase::running : from;
    case engine_event::data_asked:
      return from == phase::calling || from == phase::held ? phase::collecting : from;
    case engine_event::line_finished: return from == phase::running ? phase::idle : from;
    case engine_event::discard: return from == phase::off ? phase::off : phase::idle;
  }
  return from;
}

bool line_in_progress(engine_phase phase) { return phase != engine_phase::off && phase != engine_phase::idle; }

std::string_view engine_phase_name(engine_phase phase) {
  switch (phase) {
    case engine_phase::off: return "off";
    case engine_phase::idle: return "idle";
    case engine_phase::running: return "running";
    case engine_phase::calling: return "calling";
    case engine_phase::answered: return "answered";
    case engine_phase::held: return "held";
    case engine_phase::collecting: return "collecting";
  }
  return "?";
}

}  // namespace agent
