#include "harness/running_program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace e2e {

using clock_type = std::chrono::steady_clock;

running_program::running_program(const std::string& program, const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const int err_fd = ::open((dir_.path() / "stderr").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  pid_ = spawn(program, args, pipe_fds[1], err_fd);
  ::close(pipe_fds[1]);
  ::close(err_fd);
  stdout_fd_ = pipe_fds[0];
}

running_program::~running_program() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::string running_program::err() const { return file_contents(dir_.path() / "stderr"); }

// One read of what stdout has, waiting for it until the deadline; false at the deadline or the end of stdout.
bool running_program::read_more(clock_type::time_point deadline) {
  if (stdout_fd_ < 0) return false;
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock_type::now()).count();
  pollfd p{stdout_fd_, POLLIN, 0};
  if (::poll(&p, 1, left < 0 ? 0 : static_cast<int>(left)) <= 0) return false;
  char buffer[65536];
  const ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
  if (n <= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
    return false;
  }
  out_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> running_program::next_line(milliseconds deadline) {
  const auto until = clock_type::now() + deadline;
  auto end = out_.find('\n', taken_);
  while (end == std::string::npos) {
    const std::size_t searched = out_.size();
    if (!read_more(until)) return std::nullopt;
    end = out_.find('\n', searched);
  }
  std::string line = out_.substr(taken_, end - taken_);
  taken_ = end + 1;
  return line;
}

std::optional<std::string> running_program::line_starting(std::string_view prefix, milliseconds deadline) {
  const auto until = clock_type::now() + deadline;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - clock_type::now());
    auto line = next_line(left < 0ms ? 0ms : left);
    if (!line) return std::nullopt;
    if (line->starts_with(prefix)) return line;
  }
}

void running_program::signal(int number) {
  if (pid_ > 0) ::kill(pid_, number);
}

int running_program::wait(milliseconds deadline) {
  if (pid_ <= 0) return -1;
  const auto until = clock_type::now() + deadline;
  while (read_more(until)) {
  }
  const auto left = std::chrono::duration_cast<milliseconds>(until - clock_type::now());
  const auto code = wait_for_exit(pid_, left < 0ms ? 0ms : left);
  if (!code) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
  return code.value_or(-1);
}

int running_program::terminate(milliseconds deadline) {
  signal(SIGTERM);
  return wait(deadline);
}

}  // namespace e2e
