#pragma once
// --from-transcript: a `sim7600-emu --transcript` capture (pty_bridge/transcript.hpp) into a scenario that replays
// it. Sans-I/O: the transcript's text in, the scenario's YAML out. Each host line becomes `> LINE`, each line the
// module sent becomes `< LINE` (its echo of the host's line and the boot URCs are left out: the runner handles
// both). Bytes a scenario line cannot hold become {_} (anything) in an expected line.
#include <string>

#include "scenario/outcome.hpp"

namespace scenario {

// `name` becomes the case's name. Fails on a line that is not a transcript record (naming its line number).
outcome<std::string> scenario_from_transcript(const std::string& transcript, const std::string& name);

// "\\r\\n" -> "\r\n", "\\x07" -> 0x07, "\\\\" -> "\\" (the inverse of pty_bridge::escape_traffic).
std::string unescape_traffic(const std::string& text);

}  // namespace scenario
