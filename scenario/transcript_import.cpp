#include "scenario/transcript_import.hpp"

#include <charconv>
#include <sstream>

#include "scenario/port_lines.hpp"

namespace scenario {

namespace {

bool printable(const std::string& line) {
  for (char c : line)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) return false;
  return true;
}

// An expected line as a scenario writes it: bytes it cannot hold become {_}; a line a pattern would read as a
// regular expression (/.../) gets {_} for its last slash.
std::string expected_line(const std::string& line) {
  std::string out;
  for (char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte >= 0x7F ? std::string("{_}") : std::string(1, c);
  }
  if (out.size() >= 2 && out.front() == '/' && out.back() == '/') out.replace(out.size() - 1, 1, "{_}");
  return out;
}

// The replay, built record by record.
class replay_builder {
 public:
  void host(const std::string& bytes) {
    take_module_lines();
    std::string line = bytes;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    if (line.empty() || !printable(line)) return;  // a bare CR (an empty command line) or raw bytes: no step
    steps_ += "      > " + line + "\n";
    last_sent_ = line;
    echo_pending_ = true;
  }

  void module(const std::string& bytes) { lines_.feed(bytes); }

  std::string finish() {
    take_module_lines();
    return steps_;
  }

 private:
  void take_module_lines() {
    while (auto line = lines_.next()) {
      if (echo_pending_ && *line == last_sent_) {  // the module's echo of the line: the runner allows for it
        echo_pending_ = false;
        continue;
      }
      echo_pending_ = false;
      if (booting_) {  // boot URCs: the runner waits for them before the first step
        if (*line == "PB DONE") booting_ = false;
        continue;
      }
      steps_ += "      < " + expected_line(*line) + "\n";
    }
    booting_ = false;  // the host spoke: whatever came before was the boot
  }

  port_lines lines_;
  std::string steps_;
  std::string last_sent_;
  bool echo_pending_ = false;
  bool booting_ = true;
};

// A YAML single-quoted scalar's body: a quote is doubled.
std::string quoted_single(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out;
}

}  // namespace

std::string unescape_traffic(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '\\' || at + 1 >= text.size()) {
      out += text[at];
      continue;
    }
    const char kind = text[++at];
    if (kind == 'r') {
      out += '\r';
    } else if (kind == 'n') {
      out += '\n';
    } else if (unsigned byte = 0; kind == 'x' && at + 2 < text.size() &&
                                  std::from_chars(&text[at + 1], &text[at + 3], byte, 16).ptr == &text[at + 3]) {
      out += static_cast<char>(byte);
      at += 2;
    } else {
      out += kind;
    }
  }
  return out;
}

outcome<std::string> scenario_from_transcript(const std::string& transcript, const std::string& name) {
  replay_builder replay;
  std::istringstream records(transcript);
  std::string record;
  for (int number = 1; std::getline(records, record); ++number) {
    if (record.empty()) continue;
    // "2026-11-24T05:14:16.123456Z > AT+ADA=\"status\"\r"
    const std::size_t space = record.find(' ');
    if (space == std::string::npos || space + 2 > record.size() || (record[space + 1] != '>' && record[space + 1] != '<'))
      return failure{"line " + std::to_string(number) + " is not a transcript record: " + record};
    const std::string bytes = unescape_traffic(record.size() > space + 3 ? record.substr(space + 3) : "");
    if (record[space + 1] == '>') {
      replay.host(bytes);
    } else {
      replay.module(bytes);
    }
  }
  std::string yaml = "# Replays a session recorded with `sim7600-emu --transcript` (made by sim7600-scenario\n"
                     "# --from-transcript). Each `<` line must come next from the module, within the deadline.\n"
                     "# A session recorded with the emulator's own defaults needs:  module: {args: [--network, auto]}\n";
  yaml += "name: '" + quoted_single(name) + "'\n";
  yaml += "steps:\n  - host: |\n";
  const std::string steps = replay.finish();
  yaml += steps.empty() ? "      # (the transcript holds no host line)\n" : steps;
  return yaml;
}

}  // namespace scenario
