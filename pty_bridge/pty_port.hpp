#pragma once
// pty_port: the module's AT port as a pseudo-TTY. The slave (/dev/pts/N) is what users open (minicom, picocom,
// their firmware); a symlink (default /tmp/ttySIM7600) names it. We keep a slave fd of our own open, so a client
// may close and reopen the port without the master seeing EIO/HUP and without losing the module. A client's
// close is seen through inotify on the slave device (IN_OPEN / IN_CLOSE_*), without polling; then its half-typed
// line is dropped (host_events::closed) and output it never read is discarded. Output written before the first
// client opens (the boot URCs) waits for it in the kernel buffer.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pty_bridge/fd_session.hpp"
#include "pty_bridge/host_port.hpp"

namespace pty_bridge {

struct pty_options {
  std::string link_path = "/tmp/ttySIM7600";
  std::optional<unsigned> pace_baud;  // --baud with a PTY: output at the real UART rate
};

class pty_port : public host_port, public std::enable_shared_from_this<pty_port> {
 public:
  static open_result<pty_port> open(boost::asio::io_context& io, pty_options options, host_events events);
  ~pty_port() override;

  void send(std::string_view bytes) override { master_->send(bytes); }
  bool idle() const override { return master_->idle(); }
  std::string describe() const override { return "pty " + slave_path_ + " link " + options_.link_path; }

  const std::string& slave_path() const { return slave_path_; }
  void close();  // stops I/O and removes the link (also done on destruction)

 private:
  pty_port(boost::asio::io_context& io, pty_options options, host_events events);
  void do_watch();
  void on_watch_event(const boost::system::error_code& ec);
  void take_watch_events();  // reads the queued open/close notices without blocking
  std::vector<std::uint32_t> read_notices();

  pty_options options_;
  host_events events_;
  std::string slave_path_;
  int own_slave_fd_ = -1;  // held open for the whole run: the master never sees the last slave close
  std::shared_ptr<fd_session> master_;
  boost::asio::posix::stream_descriptor watch_;
  int clients_open_ = 0;  // opens minus closes of the slave seen by the watch
  bool link_created_ = false;
  bool closed_ = false;
};

}  // namespace pty_bridge
