#include "pty_bridge/serial_port.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace pty_bridge {

std::optional<speed_t> baud_to_speed(unsigned baud) {
  static constexpr std::pair<unsigned, speed_t> rates[] = {
      {1200, B1200},       {2400, B2400},       {4800, B4800},       {9600, B9600},       {19200, B19200},
      {38400, B38400},     {57600, B57600},     {115200, B115200},   {230400, B230400},   {460800, B460800},
      {500000, B500000},   {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
      {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000}, {3500000, B3500000},
      {4000000, B4000000},
  };
  for (const auto& [rate, speed] : rates)
    if (rate == baud) return speed;
  return std::nullopt;
}

serial_port::serial_port(serial_options options, std::shared_ptr<fd_session> device)
    : options_(std::move(options)), device_(std::move(device)) {}

serial_port::~serial_port() { device_->close(); }

open_result<serial_port> serial_port::open(boost::asio::io_context& io, serial_options options,
                                           host_events events) {
  const auto speed = baud_to_speed(options.baud);
  if (!speed) return common::failure{"unsupported baud rate " + std::to_string(options.baud)};
  const int fd = ::open(options.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return common::failure{"cannot open " + options.device + ": " + std::strerror(errno)};
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    std::string why = options.device + " is not a serial device: " + std::strerror(errno);
    ::close(fd);
    return common::failure{why};
  }
  ::cfmakeraw(&tio);  // 8 data bits, no parity, no echo, no translation
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB);  // one stop bit
  tio.c_cflag |= CLOCAL | CREAD;
  if (options.rtscts) {
    tio.c_cflag |= CRTSCTS;
  } else {
    tio.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  }
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  ::cfsetispeed(&tio, *speed);
  ::cfsetospeed(&tio, *speed);
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    std::string why = "cannot configure " + options.device + ": " + std::strerror(errno);
    ::close(fd);
    return common::failure{why};
  }
  ::tcflush(fd, TCIOFLUSH);  // bytes from before we owned the line are not ours to answer
  auto device = std::make_shared<fd_session>(io, fd, std::move(events), fd_session_options{std::nullopt, 64 * 1024,
                                                                                           "serial", nullptr});
  device->start();
  return std::shared_ptr<serial_port>(new serial_port(std::move(options), std::move(device)));
}

}  // namespace pty_bridge
