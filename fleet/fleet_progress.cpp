#include "fleet/fleet_progress.hpp"

#include <cstdio>
#include <utility>
#include <vector>

namespace fleet {

namespace {

std::string elapsed_text(std::chrono::milliseconds elapsed) {
  const long long seconds = elapsed.count() < 0 ? 0 : elapsed.count() / 1000;
  char text[32];
  if (seconds >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60);
  } else {
    std::snprintf(text, sizeof text, "%02lld:%02lld", seconds / 60, seconds % 60);
  }
  return text;
}

// "950 listening, 30 connecting": the parts with a count, in the order given.
std::string counted_parts(const std::vector<std::pair<std::size_t, const char*>>& parts) {
  std::string text;
  for (const auto& [count, what] : parts) {
    if (count == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(count) + " " + what;
  }
  return text;
}

}  // namespace

std::string progress_line(const fleet_counts& counts, std::chrono::milliseconds elapsed) {
  std::string line = "[" + elapsed_text(elapsed) + "] " + std::to_string(counts.total) +
                     (counts.total == 1 ? " module" : " modules");
  const std::string states = counted_parts({{counts.listening, "listening"},
                                            {counts.connecting, "connecting"},
                                            {counts.booting, "booting"},
                                            {counts.failed, "failed"},
                                            {counts.silent, "silent"}});
  if (!states.empty()) line += ": " + states;
  const std::string ota = counted_parts({{counts.ota_downloading, "downloading"},
                                         {counts.ota_applying, "applying"},
                                         {counts.ota_succeeded, "done"},
                                         {counts.ota_failed, "failed"}});
  if (!ota.empty()) line += " | OTA " + ota;
  if (counts.errors != 0) line += " | " + std::to_string(counts.errors) + (counts.errors == 1 ? " error" : " errors");
  return line;
}

std::string progress_printer::terminal_text(const std::string& line) const {
  return "\r" + line + "\x1b[K";
}

std::string progress_printer::update(const fleet_counts& counts, std::chrono::milliseconds elapsed) {
  if (to_ == output::terminal) {
    if (written_ && elapsed - last_written_ < terminal_interval) return {};
    std::string line = progress_line(counts, elapsed);
    // The last column stays free: a line that fills it wraps on some terminals, and "\r" then rewrites the wrong row.
    if (columns_ > 1 && line.size() > columns_ - 1) line.resize(columns_ - 1);
    if (written_ && line == last_line_) return {};
    written_ = true;
    last_written_ = elapsed;
    last_line_ = line;
    return terminal_text(line);
  }
  const auto since = elapsed - last_written_;
  const bool due = !written_ || (since >= plain_interval && counts != last_counts_) || since >= plain_quiet_interval;
  if (!due) return {};
  written_ = true;
  last_written_ = elapsed;
  last_counts_ = counts;
  return progress_line(counts, elapsed) + "\n";
}

std::string progress_printer::clear_line() {
  if (to_ != output::terminal || !written_) return {};
  written_ = false;
  last_line_.clear();
  return "\r\x1b[K";
}

std::string progress_printer::finish(const fleet_counts& counts, std::chrono::milliseconds elapsed) {
  std::string line = progress_line(counts, elapsed);
  written_ = true;
  last_written_ = elapsed;
  last_counts_ = counts;
  if (to_ == output::plain) return line + "\n";
  // The final line is kept whole: it stays on screen, and a long line now only wraps below itself.
  last_line_ = line;
  return terminal_text(line) + "\n";
}

}  // namespace fleet
