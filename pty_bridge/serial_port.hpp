#pragma once
// serial_port: the module's AT port on a real serial device (a USB-UART wired to a real MCU): raw 8N1 at a
// standard rate, optional RTS/CTS flow control. The UART paces itself, so output is not paced here.
#include <termios.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>

#include "pty_bridge/fd_session.hpp"
#include "pty_bridge/host_port.hpp"

namespace pty_bridge {

// The termios speed constant (B115200, ...) for a rate in baud; nullopt for a rate termios can't set.
std::optional<speed_t> baud_to_speed(unsigned baud);

struct serial_options {
  std::string device;
  unsigned baud = 115200;
  bool rtscts = false;
};

class serial_port : public host_port {
 public:
  static open_result<serial_port> open(boost::asio::io_context& io, serial_options options, host_events events);
  ~serial_port() override;

  void send(std::string_view bytes) override { device_->send(bytes); }
  bool idle() const override { return device_->idle(); }
  std::string describe() const override { return "serial " + options_.device; }

 private:
  serial_port(serial_options options, std::shared_ptr<fd_session> device);
  serial_options options_;
  std::shared_ptr<fd_session> device_;
};

}  // namespace pty_bridge
