#pragma once
// running_program: any program the tests start and talk to as a user or a script does — its stdout read line by
// line as it prints (a ready line, a summary at the end), its stderr kept in a file, a signal sent, its exit waited
// for. Every read and wait has a deadline; a program still running when the object goes is killed (SIGKILL).
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/harness.hpp"

namespace e2e {

class running_program {
 public:
  // Starts `program` (found on PATH when it has no slash) with stdin from /dev/null.
  running_program(const std::string& program, const std::vector<std::string>& args);
  ~running_program();
  running_program(const running_program&) = delete;
  running_program& operator=(const running_program&) = delete;

  // The next line on stdout, without its newline; nothing when none came before the deadline or stdout ended.
  std::optional<std::string> next_line(milliseconds deadline = default_deadline);
  // Skips lines until one starts with `prefix` and returns it; nothing at the deadline or the end of stdout.
  std::optional<std::string> line_starting(std::string_view prefix, milliseconds deadline = default_deadline);

  void signal(int number);
  // Reads stdout to its end (a program blocked on a full pipe would never exit) and waits for the exit: its code,
  // or -1 when a signal killed it or the deadline passed (then it is killed).
  int wait(milliseconds deadline = default_deadline);
  int terminate(milliseconds deadline = default_deadline);  // SIGTERM, then wait

  const std::string& out() const { return out_; }  // all of stdout read so far, the lines returned included
  std::string err() const;                         // stderr so far
  pid_t pid() const { return pid_; }               // -1 once it has ended

 private:
  bool read_more(std::chrono::steady_clock::time_point deadline);

  temp_dir dir_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string out_;
  std::size_t taken_ = 0;  // how much of out_ next_line has returned
};

}  // namespace e2e
