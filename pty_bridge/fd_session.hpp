#pragma once
// fd_session: one open character device (PTY master or serial device) as a session — reads whatever the host
// sends, writes the module's output through one bounded queue, optionally paced at a UART rate. Non-blocking
// throughout: it waits for readiness with the reactor and never blocks the event loop. Runs on the runtime's
// single-threaded io_context, which is its strand.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pty_bridge/host_port.hpp"
#include "pty_bridge/output_pacer.hpp"
#include "pty_bridge/output_queue.hpp"

namespace pty_bridge {

struct fd_session_options {
  std::optional<unsigned> pace_baud;         // pace output at this UART rate; unpaced without it
  std::size_t queue_capacity = 64 * 1024;    // bytes kept for a host that does not read
  std::string name = "port";                 // for log lines
  // Runs when the device is readable, before its bytes are read: the PTY handles open/close notices first, so
  // a client that closed and a new one that already typed are told apart in the order they happened.
  std::function<void()> before_read;
};

class fd_session : public std::enable_shared_from_this<fd_session> {
 public:
  // Takes ownership of `fd` (made non-blocking here).
  fd_session(boost::asio::io_context& io, int fd, host_events events, fd_session_options options);

  void start();
  void send(std::string_view bytes);
  // Reads, right now, whatever the host has already written into `into`, without delivering it: the caller
  // decides when those bytes count (a closing client's last bytes must not be lost, nor put after its close).
  void read_available_into(std::string& into);
  bool idle() const { return queue_.empty(); }
  void discard_output() { queue_.consume(queue_.size()); }  // nobody will read it
  void close();

 private:
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void wait_readable();
  void on_readable(const boost::system::error_code& ec);
  void deliver_held();
  void do_write();
  void on_writable(const boost::system::error_code& ec);
  void on_pace_timer(const boost::system::error_code& ec);
  void fail(int error, const char* what);
  bool read_once(const std::function<void(std::string_view)>& deliver);  // false: nothing more to read now

  boost::asio::posix::stream_descriptor fd_;
  boost::asio::steady_timer pace_timer_;
  host_events events_;
  fd_session_options options_;
  output_queue queue_;
  std::optional<output_pacer> pacer_;
  std::array<char, 16 * 1024> read_buffer_{};
  std::string held_;  // read by the reactor, not yet delivered (see do_read)
  bool writing_ = false;  // a write, a writability wait or a pacing timer is under way
  bool closed_ = false;
};

}  // namespace pty_bridge
