#include "scenario/host_program.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace scenario {

host_program::host_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra_environment) {
  const int out_fd = ::open((dir_.path() / "output").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out_fd < 0) throw std::runtime_error("cannot create the program's output file");
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  pid_ = e2e::spawn(argv.front(), args, out_fd, out_fd, extra_environment);
  ::close(out_fd);
}

host_program::~host_program() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

std::optional<int> host_program::wait(std::chrono::milliseconds deadline) {
  if (pid_ > 0) {
    status_ = e2e::wait_for_exit(pid_, deadline);
    if (status_) pid_ = -1;
  }
  return status_;
}

std::string host_program::output() const { return e2e::file_contents(dir_.path() / "output"); }

}  // namespace scenario
