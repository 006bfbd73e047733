#include "pty_bridge/fd_session.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

namespace pty_bridge {

fd_session::fd_session(boost::asio::io_context& io, int fd, host_events events, fd_session_options options)
    : fd_(io, fd), pace_timer_(io), events_(std::move(events)), options_(std::move(options)),
      queue_(options_.queue_capacity) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (options_.pace_baud) pacer_.emplace(*options_.pace_baud, output_pacer::clock::now());
}

void fd_session::start() { do_read(); }

// The reactor reads as soon as the device is readable (Asio 1.74 re-registers the descriptor with epoll on every
// readiness wait, a system call per AT round trip; a read op costs none). The bytes are held until the device's
// notices are looked at, so they count exactly as if they were still in the kernel: a client that closed is
// handled before them, and read_available_into() hands them over first.
void fd_session::do_read() {
  if (closed_) return;
  fd_.async_read_some(boost::asio::buffer(read_buffer_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                        self->on_read(ec, n);
                      });
}

void fd_session::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (ec == boost::asio::error::operation_aborted || closed_) return;
  // EIO on a PTY master would mean no slave is open; we hold one, so it's transient: wait for readiness instead
  // of reading again at once.
  if (ec == boost::asio::error::eof || ec.value() == EIO) return wait_readable();
  if (ec) return fail(ec.value(), "read");
  held_.append(read_buffer_.data(), n);
  deliver_held();
}

void fd_session::wait_readable() {
  fd_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                 [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void fd_session::on_readable(const boost::system::error_code& ec) {
  if (ec) {
    if (ec != boost::asio::error::operation_aborted) fail(ec.value(), "wait for input");
    return;
  }
  read_once([this](std::string_view bytes) { held_.append(bytes); });
  deliver_held();
}

// One read per readiness, then back to the loop: notices about the device (a client closing) are looked at
// before the bytes are delivered, so bytes are never given on behalf of a client that has already gone.
void fd_session::deliver_held() {
  if (options_.before_read) options_.before_read();  // may take held_ through read_available_into()
  if (!held_.empty() && !closed_) {
    std::string bytes;
    bytes.swap(held_);
    if (events_.received) events_.received(bytes);
  }
  do_read();
}

void fd_session::read_available_into(std::string& into) {
  into.append(held_);
  held_.clear();
  while (read_once([&into](std::string_view bytes) { into.append(bytes); })) {
  }
}

bool fd_session::read_once(const std::function<void(std::string_view)>& deliver) {
  for (;;) {
    if (closed_) return false;
    const ssize_t n = ::read(fd_.native_handle(), read_buffer_.data(), read_buffer_.size());
    if (n > 0) {
      deliver(std::string_view(read_buffer_.data(), static_cast<std::size_t>(n)));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    // EAGAIN: all read. EIO on a PTY master would mean no slave is open; we hold one, so it's transient.
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EIO) fail(errno, "read");
    return false;
  }
}

void fd_session::send(std::string_view bytes) {
  if (closed_ || bytes.empty()) return;
  queue_.push(bytes);
  if (!writing_) do_write();
}

void fd_session::do_write() {
  writing_ = true;
  while (!queue_.empty() && !closed_) {
    std::size_t chunk = queue_.size();
    if (pacer_) {
      const auto now = output_pacer::clock::now();
      chunk = std::min(chunk, pacer_->allowance(now));
      if (chunk == 0) {
        pace_timer_.expires_after(pacer_->wait(now));
        pace_timer_.async_wait(
            [self = shared_from_this()](const boost::system::error_code& ec) { self->on_pace_timer(ec); });
        return;
      }
    }
    const ssize_t n = ::write(fd_.native_handle(), queue_.front().data(), chunk);
    if (n > 0) {
      queue_.consume(static_cast<std::size_t>(n));
      if (pacer_) pacer_->spend(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // Nobody reads and the kernel buffer is full: wait; meanwhile the queue's bound drops the oldest bytes.
      fd_.async_wait(boost::asio::posix::descriptor_base::wait_write,
                     [self = shared_from_this()](const boost::system::error_code& ec) { self->on_writable(ec); });
      return;
    }
    fail(errno, "write");
    return;
  }
  writing_ = false;
  if (queue_.empty() && events_.drained) events_.drained();
}

void fd_session::on_writable(const boost::system::error_code& ec) {
  if (ec) {
    writing_ = false;
    if (ec != boost::asio::error::operation_aborted) fail(ec.value(), "wait for output");
    return;
  }
  do_write();
}

void fd_session::on_pace_timer(const boost::system::error_code& ec) {
  if (ec) {
    writing_ = false;
    return;  // cancelled: the session is closing
  }
  do_write();
}

void fd_session::fail(int error, const char* what) {
  std::cerr << "sim7600-emu: " << options_.name << ": " << what << ": " << std::strerror(error) << "\n";
  // The device is gone (a serial adapter unplugged): what was queued can never be delivered.
  queue_.consume(queue_.size());
  writing_ = false;
  close();
  if (events_.closed) events_.closed();
}

void fd_session::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  pace_timer_.cancel();
  fd_.cancel(ignored);
  fd_.close(ignored);
}

}  // namespace pty_bridge
