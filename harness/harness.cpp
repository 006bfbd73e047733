#include "harness/harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "common/read_file.hpp"

namespace e2e {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

int remaining_ms(clock_type::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock_type::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

}  // namespace

// Waits for `pid` to end, with a deadline (pidfd: the exit is an event to poll, not a sleep loop).
std::optional<int> wait_for_exit(pid_t pid, milliseconds deadline) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(deadline.count()));
    ::close(pidfd);
    if (ready <= 0) return std::nullopt;
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return std::nullopt;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t spawn(const std::string& program, const std::vector<std::string>& args, int stdout_fd, int stderr_fd,
            const std::vector<std::string>& extra_environment) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  // Built before the fork: the child only execs.
  std::vector<char*> envp;
  for (char** name = environ; *name; ++name) envp.push_back(*name);
  for (const auto& entry : extra_environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    ::dup2(stdout_fd, 1);
    ::dup2(stderr_fd, 2);
    const int null_in = ::open("/dev/null", O_RDONLY);
    ::dup2(null_in, 0);
    ::execvpe(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

temp_dir::temp_dir() {
  char pattern[] = "/tmp/sim7600-e2e.XXXXXX";
  if (!::mkdtemp(pattern)) fail("mkdtemp");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

namespace {
// The first line a daemon prints (without its newline), or "" if none came before the deadline.
std::string read_ready_line(int fd) {
  const auto deadline = clock_type::now() + startup_deadline;
  std::string out;
  while (out.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return {};
    char buffer[512];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return {};
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out.substr(0, out.find('\n'));
}
}  // namespace

std::string file_contents(const fs::path& path) { return common::read_file(path).value_or(""); }

// The daemons sit beside every program that links the harness: build/bin/ in the build tree, PREFIX/bin/ once
// installed (an installed sim7600-scenario runs the installed sim7600-emu, never the build tree's).
std::string program_beside_me(const std::string& name) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) throw std::runtime_error("cannot read /proc/self/exe: " + error.message());
  return (self.parent_path() / name).string();
}

std::string emulator_binary() { return program_beside_me("sim7600-emu"); }

finished_run run_to_exit(const std::string& program, const std::vector<std::string>& args, milliseconds deadline) {
  temp_dir dir;
  const fs::path out_path = dir.path() / "out", err_path = dir.path() / "err";
  const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT, 0600);
  const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT, 0600);
  const pid_t pid = spawn(program, args, out_fd, err_fd);
  ::close(out_fd);
  ::close(err_fd);
  finished_run run;
  if (auto code = wait_for_exit(pid, deadline)) {
    run.exit_code = *code;
  } else {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  run.out = file_contents(out_path);
  run.err = file_contents(err_path);
  return run;
}

emulator::emulator(std::vector<std::string> extra_args)
    : link_(dir_.path() / "ttySIM7600"), state_dir_(dir_.path() / "state"), extra_args_(std::move(extra_args)) {
  start();
}

emulator::~emulator() {
  if (pid_ > 0) kill_hard();
}

std::string emulator::stderr_text() const { return file_contents(dir_.path() / "stderr"); }

void emulator::start() {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe");
  const int err_fd = ::open((dir_.path() / "stderr").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  std::vector<std::string> args = {"--state-dir", state_dir_.string(), "--boot-ms", "50"};
  if (std::find(extra_args_.begin(), extra_args_.end(), "--serial") == extra_args_.end())
    args.insert(args.end(), {"--pty-link", link_.string()});
  // The note's bring-up (the host dials and syncs the clock) unless a test asks for the always-on profile.
  if (std::find(extra_args_.begin(), extra_args_.end(), "--network") == extra_args_.end())
    args.insert(args.end(), {"--network", "manual"});
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = spawn(emulator_binary(), args, pipe_fds[1], err_fd);
  ::close(pipe_fds[1]);
  ::close(err_fd);
  stdout_fd_ = pipe_fds[0];

  // The ready line is the daemon's promise that its ports are open.
  ready_line_ = read_ready_line(stdout_fd_);
  if (ready_line_.empty()) throw std::runtime_error("sim7600-emu gave no ready line; stderr: " + stderr_text());
}

int emulator::wait_exit(milliseconds deadline) {
  const auto code = wait_for_exit(pid_, deadline);
  pid_ = -1;
  ::close(stdout_fd_);
  stdout_fd_ = -1;
  return code.value_or(-1);
}

int emulator::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const pid_t pid = pid_;
  const int code = wait_exit(default_deadline);
  if (code == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  return code;
}

void emulator::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit(default_deadline);
  // A module without power has no port: the link a killed daemon leaves names a PTY number the kernel may give to
  // another emulator next (with -j N), and a host reopening it would talk to that module.
  std::error_code ignored;
  if (!link_.empty()) fs::remove(link_, ignored);
}

bool emulator::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  return ::waitpid(pid_, &status, WNOHANG) == 0;
}

host_port host_port::open_tty(const fs::path& device) {
  const int fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fail("open " + device.string());
  termios tio{};
  ::tcgetattr(fd, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(fd, TCSANOW, &tio);
  return host_port(fd);
}

host_port host_port::connect_tcp(const std::string& host, unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("connect");
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  return host_port(fd);
}

host_port host_port::adopt(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return host_port(fd);
}

host_port::host_port(host_port&& other) noexcept : fd_(other.fd_), pending_(std::move(other.pending_)) {
  other.fd_ = -1;
}

host_port& host_port::operator=(host_port&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    pending_ = std::move(other.pending_);
    other.fd_ = -1;
  }
  return *this;
}

host_port::~host_port() { close(); }

void host_port::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void host_port::send(std::string_view bytes) {
  const auto deadline = clock_type::now() + default_deadline;
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) fail("write");
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) throw std::runtime_error("host_port::send: port not writable");
  }
}

bool host_port::read_some(std::string& into, clock_type::time_point deadline) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
  char buffer[65536];
  const ssize_t n = ::read(fd_, buffer, sizeof buffer);
  if (n <= 0) return false;  // EOF (TCP) or nothing
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::string host_port::expect(std::string_view expected, milliseconds deadline) {
  const auto until = clock_type::now() + deadline;
  while (pending_.size() < expected.size() && read_some(pending_, until)) {
  }
  const std::string got = pending_.substr(0, expected.size());
  pending_.erase(0, got.size());
  return got;
}

std::string host_port::read_until(std::string_view text, milliseconds deadline) {
  const auto until = clock_type::now() + deadline;
  // Only the bytes that arrived since the last look can complete `text`: a megabyte of OTA lines stays linear.
  std::size_t searched = 0;
  auto at = pending_.find(text);
  while (at == std::string::npos) {
    searched = pending_.size() >= text.size() ? pending_.size() - text.size() + 1 : 0;
    if (!read_some(pending_, until)) break;
    at = pending_.find(text, searched);
  }
  const std::size_t end = at == std::string::npos ? pending_.size() : at + text.size();
  const std::string got = pending_.substr(0, end);
  pending_.erase(0, end);
  return got;
}

std::string host_port::command(std::string_view line, milliseconds deadline) {
  send(std::string(line) + "\r");
  return read_final(deadline);
}

std::string host_port::read_final(milliseconds deadline) {
  const auto until = clock_type::now() + deadline;
  for (;;) {
    for (std::string_view final : {"\r\nOK\r\n", "\r\nERROR\r\n"}) {
      if (auto at = pending_.find(final); at != std::string::npos) {
        const std::string got = pending_.substr(0, at + final.size());
        pending_.erase(0, got.size());
        return got;
      }
    }
    if (auto at = pending_.find("\r\n+CME ERROR: "); at != std::string::npos) {
      if (auto end = pending_.find("\r\n", at + 2); end != std::string::npos) {
        const std::string got = pending_.substr(0, end + 2);
        pending_.erase(0, got.size());
        return got;
      }
    }
    if (!read_some(pending_, until)) {
      std::string got = std::move(pending_);
      pending_.clear();
      return got;
    }
  }
}

std::string host_port::read_available(milliseconds quiet) {
  const auto until = clock_type::now() + quiet;
  while (read_some(pending_, until)) {
  }
  std::string got = std::move(pending_);
  pending_.clear();
  return got;
}

}  // namespace e2e

namespace e2e {

booted_module::booted_module(std::vector<std::string> extra_args)
    : module(std::move(extra_args)), port(host_port::open_tty(module.link())) {
  boot_output = port.read_until("PB DONE\r\n");
}

void booted_module::reconnect() {
  port.close();
  port = host_port::open_tty(module.link());
}

void start_service(host_port& port) {
  const std::string answer = port.command("AT+ADA=\"start\"");
  if (answer != "AT+ADA=\"start\"\r\r\nOK\r\n") throw std::runtime_error("start answered: " + answer);
  const std::string urc = port.read_until("\r\n+ADA: \"start\",\"done\"\r\n");
  if (urc != "\r\n+ADA: \"start\",\"done\"\r\n") throw std::runtime_error("start URC: " + urc);
}

std::string pem_body(const std::string& pem) {
  std::istringstream lines(pem);
  std::string line, body;
  while (std::getline(lines, line))
    if (!line.empty() && line.rfind("-----", 0) != 0) body += line;
  return body;
}

}  // namespace e2e

namespace e2e {

device_service::device_service(std::vector<std::string> extra_args) : extra_args_(std::move(extra_args)) { start(); }

device_service::device_service(const device_service& first, std::vector<std::string> extra_args)
    : data_dir_(first.data_dir_), extra_args_(std::move(extra_args)) {
  start();
}

device_service::device_service(data_folder folder, std::vector<std::string> extra_args)
    : data_dir_(std::move(folder.path)), extra_args_(std::move(extra_args)) {
  start();
}

void device_service::start() {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe");
  const int err_fd = ::open((dir_.path() / "stderr").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const std::string listen = url_.empty() ? "127.0.0.1:0" : "127.0.0.1:" + port();
  std::vector<std::string> args = {"--listen", listen, "--data-dir", data_dir_.string(),
                                   "--admin-token", admin_token()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = spawn(program_beside_me("ads-sim"), args, pipe_fds[1], err_fd);
  ::close(pipe_fds[1]);
  ::close(err_fd);
  const std::string out = read_ready_line(pipe_fds[0]);
  ::close(pipe_fds[0]);
  // "ads-sim ready: https://HOST:PORT ca DIR/ca.pem ..."
  const std::string prefix = "ads-sim ready: ";
  if (out.rfind(prefix, 0) != 0)
    throw std::runtime_error("ads-sim gave no ready line: " + out + file_contents(dir_.path() / "stderr"));
  url_ = out.substr(prefix.size(), out.find(' ', prefix.size()) - prefix.size());
  ready_line_ = out;
}

std::string device_service::ready_url(std::string_view word) const {
  const std::string marker = " " + std::string(word) + " ";
  const auto at = ready_line_.find(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  const auto end = ready_line_.find_first_of(" \r\n", start);
  return ready_line_.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string device_service::log_text() const { return file_contents(dir_.path() / "stderr"); }

void device_service::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void device_service::freeze() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void device_service::thaw() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

void bring_up_network(host_port& port) {
  const auto ok = [&](const std::string& line) {
    if (port.command(line) != line + "\r\r\nOK\r\n") throw std::runtime_error("bring-up: " + line + " failed");
  };
  ok("AT+CGDCONT=6, \"IP\", \"3gnet\"");
  ok("AT+CAPNET=6,1");
  if (!port.read_until("\r\n+CAPNET: 6,1\r\n").ends_with("\r\n+CAPNET: 6,1\r\n"))
    throw std::runtime_error("bring-up: no +CAPNET: 6,1");
  ok("AT+CHTTPSERV=\"ADD\", \"www.baidu.com\", 80,1");
  ok("AT+CHTTPUPDATE");
  if (!port.read_until("\r\n+CHTTPUPDATE: 0\r\n").ends_with("\r\n+CHTTPUPDATE: 0\r\n"))
    throw std::runtime_error("bring-up: no +CHTTPUPDATE: 0");
}

void configure(host_port& port, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const std::string line = "AT+ADA=\"cs\",\"" + name + "\",\"" + value + "\"";
    const std::string answer = port.command(line);
    if (!answer.ends_with("OK\r\n")) throw std::runtime_error("configure " + name + ": " + answer);
  }
}

std::string read_until_count(host_port& port, std::string_view text, std::size_t count, milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  std::string all;
  std::size_t seen = 0;
  while (seen < count) {
    const auto left = std::chrono::duration_cast<milliseconds>(end - std::chrono::steady_clock::now());
    if (left <= 0ms) break;
    const std::string more = port.read_until(text, left);
    if (!more.ends_with(text)) {
      all += more;
      break;
    }
    all += more;
    ++seen;
  }
  return all;
}

device_service::~device_service() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!wait_for_exit(pid_, default_deadline)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

finished_run run_ctl(const emulator& module, std::vector<std::string> args) {
  args.insert(args.begin(), {"--state-dir", module.state_dir().string()});
  return run_to_exit(program_beside_me("sim7600-ctl"), args);
}

}  // namespace e2e
