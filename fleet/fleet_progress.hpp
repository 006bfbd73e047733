#pragma once
// fleet_progress: the live status of a running fleet as people read it: one line of counts, and a printer that
// decides when to write it (rewritten in place on a terminal, a plain line every few seconds otherwise).
// Sans-I/O: counts and the elapsed time in, the text to write out.
#include <chrono>
#include <cstddef>
#include <string>

namespace fleet {

// How many modules are in each state right now. The runner counts; a module may be in several (listening while
// its OTA downloads). `failed`: its host behaviour ended it; `silent`: its host stopped answering.
struct fleet_counts {
  std::size_t total = 0;
  std::size_t booting = 0, connecting = 0, listening = 0;
  std::size_t ota_downloading = 0, ota_applying = 0, ota_succeeded = 0, ota_failed = 0;
  std::size_t failed = 0, silent = 0;
  std::size_t errors = 0;  // things that went wrong along the way (an ERROR answer, a retry given up), not modules

  bool operator==(const fleet_counts&) const = default;
};

// "[00:42] 1000 modules: 950 listening, 30 connecting, 20 booting | OTA 120 downloading, 40 applying, 800 done,
// 5 failed | 3 errors": parts with nothing in them left out, the OTA part and the errors when all are zero.
// Elapsed as mm:ss, h:mm:ss from an hour on.
std::string progress_line(const fleet_counts& counts, std::chrono::milliseconds elapsed);

// Decides what to write to stdout for the live status, and when.
// On a terminal: the line rewritten in place ("\r" line "\x1b[K"), at most every 200 ms and only when its text
// changed; cut to the terminal's width when it is known, since a wrapped line cannot be rewritten.
// Otherwise (a pipe, a CI log): one plain line when the fleet starts, then at most one every 5 s when the counts
// changed, and one every 30 s even when they did not, so a log shows the fleet is alive.
class progress_printer {
 public:
  enum class output { terminal, plain };
  static constexpr std::chrono::milliseconds terminal_interval{200};
  static constexpr std::chrono::milliseconds plain_interval{5000};
  static constexpr std::chrono::milliseconds plain_quiet_interval{30000};

  // `columns`: the terminal's width (0: unknown, lines are not cut).
  explicit progress_printer(output to, std::size_t columns = 0) : to_(to), columns_(columns) {}

  // The text to write now (empty: nothing). `elapsed`: since the fleet started, never going back.
  std::string update(const fleet_counts& counts, std::chrono::milliseconds elapsed);

  // The text to write before other output (the ready line, a message): on a terminal it erases the status line,
  // which the next update draws again whatever the interval. Empty otherwise.
  std::string clear_line();

  // The last status, written whatever the cadence and ended with a newline, so what follows starts on a line of
  // its own.
  std::string finish(const fleet_counts& counts, std::chrono::milliseconds elapsed);

 private:
  std::string terminal_text(const std::string& line) const;

  output to_;
  std::size_t columns_;
  bool written_ = false;    // something printed since the start (or, on a terminal, since clear_line)
  std::chrono::milliseconds last_written_{0};
  std::string last_line_;   // on a terminal: the text shown
  fleet_counts last_counts_;  // plain: the counts last printed
};

}  // namespace fleet
