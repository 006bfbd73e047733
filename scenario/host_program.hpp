#pragma once
// A host program under test: started with the module's port in its environment and arguments, its output kept in
// a file, its exit awaited with a deadline (an event, not a sleep).
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/harness.hpp"

namespace scenario {

class host_program {
 public:
  // Fails with a one-line reason when it cannot be started.
  host_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra_environment);
  ~host_program();  // SIGKILL if still running
  host_program(const host_program&) = delete;
  host_program& operator=(const host_program&) = delete;

  // Its exit status (-1: killed by a signal), or nothing if it still runs at the deadline.
  std::optional<int> wait(std::chrono::milliseconds deadline);
  std::string output() const;  // stdout and stderr, interleaved as written
  bool running() const { return pid_ > 0; }

 private:
  e2e::temp_dir dir_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace scenario
