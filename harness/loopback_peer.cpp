#include "harness/loopback_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace e2e {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A socket bound to 127.0.0.1 on a free port; returns the fd and fills `port`.
int bound_socket(int type, std::uint16_t& port) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("cannot bind a loopback socket");
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  port = ntohs(address.sin_port);
  return fd;
}

// Waits until `fd` is readable; false at the deadline.
bool readable(int fd, milliseconds deadline) {
  pollfd wanted{fd, POLLIN, 0};
  return ::poll(&wanted, 1, static_cast<int>(deadline.count())) == 1;
}

}  // namespace

tcp_peer::~tcp_peer() { close(); }

void tcp_peer::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string tcp_peer::read_exactly(std::size_t count, milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  std::string bytes;
  char buffer[4096];
  while (bytes.size() < count) {
    auto left = std::chrono::duration_cast<milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !readable(fd_, left)) break;
    ssize_t n = ::read(fd_, buffer, std::min(sizeof buffer, count - bytes.size()));
    if (n <= 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

void tcp_peer::write(std::string_view bytes) {
  if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
    throw std::runtime_error("test server: short write");
}

tcp_listener::tcp_listener() {
  fd_ = bound_socket(SOCK_STREAM, port_);
  ::listen(fd_, 4);
}

tcp_listener::~tcp_listener() { ::close(fd_); }

tcp_peer tcp_listener::accept(milliseconds deadline) {
  if (!readable(fd_, deadline)) throw std::runtime_error("test server: no connection before the deadline");
  return tcp_peer(::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC));
}

udp_peer::udp_peer() { fd_ = bound_socket(SOCK_DGRAM, port_); }

udp_peer::~udp_peer() { ::close(fd_); }

std::string udp_peer::receive(milliseconds deadline) {
  if (!readable(fd_, deadline)) return {};
  char buffer[65536];
  sockaddr_in from{};
  socklen_t size = sizeof from;
  ssize_t n = ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &size);
  sender_.assign(reinterpret_cast<const char*>(&from), size);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

void udp_peer::reply(std::string_view bytes) {
  ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(sender_.data()),
           static_cast<socklen_t>(sender_.size()));
}

std::string ntp_responder::answer_next(std::int64_t unix_time, milliseconds deadline) {
  const std::string request = peer_.receive(deadline);
  const bool client_request = request.size() == 48 && (static_cast<unsigned char>(request[0]) & 7) == 3;
  if (!client_request) return request;
  std::string answer(48, '\0');
  answer[0] = 0x24;  // no leap warning, version 4, mode 4 (server)
  answer[1] = 1;     // stratum 1: a primary server
  answer.replace(24, 8, request, 40, 8);
  const auto seconds = static_cast<std::uint32_t>(unix_time + 2'208'988'800LL);  // NTP counts from 1900
  for (std::size_t at : {32, 40}) {
    for (std::size_t i = 0; i < 4; ++i) answer[at + i] = static_cast<char>((seconds >> (24 - 8 * i)) & 0xff);
  }
  peer_.reply(answer);
  return request;
}

}  // namespace e2e
