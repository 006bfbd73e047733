#include "pty_bridge/pty_port.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <vector>
#include <cstring>

namespace pty_bridge {

namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Points `link` at `target`, replacing a stale symlink atomically (symlink to a temp name, then rename over).
common::outcome<common::done> replace_symlink(const std::string& link, const std::string& target) {
  struct stat existing {};
  if (::lstat(link.c_str(), &existing) == 0 && !S_ISLNK(existing.st_mode))
    return common::failure{link + " exists and is not a symlink"};
  const std::string temp = link + ".tmp." + std::to_string(::getpid());
  ::unlink(temp.c_str());
  if (::symlink(target.c_str(), temp.c_str()) != 0) return common::failure{errno_text("cannot create link " + link)};
  if (::rename(temp.c_str(), link.c_str()) != 0) {
    std::string why = errno_text("cannot create link " + link);
    ::unlink(temp.c_str());
    return common::failure{why};
  }
  return common::done{};
}

void make_raw(int fd) {
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) return;
  ::cfmakeraw(&tio);  // also clears ECHO: the module echoes, the line discipline must not
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  ::tcsetattr(fd, TCSANOW, &tio);
}

}  // namespace

pty_port::pty_port(boost::asio::io_context& io, pty_options options, host_events events)
    : options_(std::move(options)), events_(std::move(events)), watch_(io) {}

open_result<pty_port> pty_port::open(boost::asio::io_context& io, pty_options options, host_events events) {
  std::shared_ptr<pty_port> port(new pty_port(io, std::move(options), std::move(events)));
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (master < 0) return common::failure{errno_text("posix_openpt")};
  char name[PATH_MAX];
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname_r(master, name, sizeof name) != 0) {
    std::string why = errno_text("cannot unlock pty");
    ::close(master);
    return common::failure{why};
  }
  port->slave_path_ = name;
  port->own_slave_fd_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (port->own_slave_fd_ < 0) {
    std::string why = errno_text("cannot open " + port->slave_path_);
    ::close(master);
    return common::failure{why};
  }
  make_raw(port->own_slave_fd_);

  // Watch before the link exists, so no client can open the port unseen.
  const int watch = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (watch < 0 || ::inotify_add_watch(watch, name, IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0) {
    std::string why = errno_text("cannot watch " + port->slave_path_);
    if (watch >= 0) ::close(watch);
    ::close(master);
    return common::failure{why};
  }
  port->watch_.assign(watch);

  std::weak_ptr<pty_port> weak = port;
  host_events master_events = port->events_;
  master_events.closed = nullptr;  // the master never closes while we hold the slave; closes come from the watch
  fd_session_options master_options{port->options_.pace_baud, 64 * 1024, "pty", nullptr};
  master_options.before_read = [weak] {
    if (auto self = weak.lock()) self->take_watch_events();
  };
  port->master_ = std::make_shared<fd_session>(io, master, std::move(master_events), std::move(master_options));

  if (auto linked = replace_symlink(port->options_.link_path, port->slave_path_); !linked) {
    port->close();
    return linked.error();
  }
  port->link_created_ = true;
  port->master_->start();
  port->do_watch();
  return port;
}

pty_port::~pty_port() { close(); }

void pty_port::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  watch_.close(ignored);
  if (master_) master_->close();
  if (own_slave_fd_ >= 0) ::close(own_slave_fd_);
  own_slave_fd_ = -1;
  if (!link_created_) return;
  // Remove the link only if it is still ours (another emulator may have taken the name since).
  char target[PATH_MAX];
  const ssize_t n = ::readlink(options_.link_path.c_str(), target, sizeof target - 1);
  if (n > 0 && std::string(target, static_cast<std::size_t>(n)) == slave_path_) ::unlink(options_.link_path.c_str());
}

void pty_port::do_watch() {
  watch_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                    [weak = weak_from_this()](const boost::system::error_code& ec) {
                      if (auto self = weak.lock()) self->on_watch_event(ec);
                    });
}

void pty_port::on_watch_event(const boost::system::error_code& ec) {
  if (ec || closed_) return;  // cancelled: closing
  take_watch_events();
  do_watch();
}

std::vector<std::uint32_t> pty_port::read_notices() {
  std::vector<std::uint32_t> notices;
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(watch_.native_handle(), buffer, sizeof buffer);
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      notices.push_back(event->mask);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return notices;
}

void pty_port::take_watch_events() {
  if (closed_) return;
  std::vector<std::uint32_t> notices = read_notices();
  const auto opened_after = [&](std::size_t i) {
    return std::any_of(notices.begin() + static_cast<std::ptrdiff_t>(i) + 1, notices.end(),
                       [](std::uint32_t mask) { return (mask & IN_OPEN) != 0; });
  };
  for (std::size_t i = 0; i < notices.size(); ++i) {
    if (notices[i] & IN_OPEN) ++clients_open_;
    if (!(notices[i] & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE))) continue;
    if (clients_open_ > 0) --clients_open_;
    if (clients_open_ > 0) continue;
    // The last client closed. Bytes it wrote just before closing may still sit in the master: they end its
    // half line, which is then dropped. But if a new client has opened meanwhile, what waits there is more
    // likely the new client's first command, which must come after the close.
    std::string waiting;
    bool reopened = opened_after(i);
    if (!reopened) {
      master_->read_available_into(waiting);
      const std::vector<std::uint32_t> later = read_notices();
      notices.insert(notices.end(), later.begin(), later.end());
      reopened = opened_after(i);
    }
    if (!reopened && !waiting.empty() && events_.received) events_.received(waiting);
    // What was on its way to the client that left is lost, as on a UART nobody listens to: the next client
    // starts clean, not with the tail of an old answer.
    master_->discard_output();
    ::tcflush(own_slave_fd_, TCIFLUSH);
    if (events_.closed) events_.closed();
    if (reopened && !waiting.empty() && events_.received) events_.received(waiting);
  }
}

}  // namespace pty_bridge
