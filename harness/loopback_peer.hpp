#pragma once
// Test servers on 127.0.0.1 for the module's TCP/IP service to reach: a TCP listener, a UDP peer and an NTP
// server. Every read waits for its bytes with a deadline.
#include <cstdint>
#include <string>

#include "harness/harness.hpp"

namespace e2e {

// A connected TCP socket (the server side of one connection the module opened).
class tcp_peer {
 public:
  explicit tcp_peer(int fd) : fd_(fd) {}
  tcp_peer(tcp_peer&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ~tcp_peer();
  std::string read_exactly(std::size_t count, milliseconds deadline = default_deadline);
  void write(std::string_view bytes);
  void close();

 private:
  int fd_;
};

class tcp_listener {
 public:
  tcp_listener();  // any free port
  ~tcp_listener();
  std::uint16_t port() const { return port_; }
  tcp_peer accept(milliseconds deadline = default_deadline);

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

class udp_peer {
 public:
  udp_peer();  // any free port
  ~udp_peer();
  std::uint16_t port() const { return port_; }
  // The next datagram (and remembers its sender for reply()).
  std::string receive(milliseconds deadline = default_deadline);
  void reply(std::string_view bytes);

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string sender_;  // sockaddr_in bytes of the last sender
};

// An NTP server (RFC 5905 server mode) for AT+CNTP: it answers a request with the time it is told, echoing the
// request's transmit timestamp as its origin, as every server does.
class ntp_responder {
 public:
  std::uint16_t port() const { return peer_.port(); }
  // Waits for one datagram and, if it is a 48-byte client request, answers that the time is `unix_time`. Returns
  // the datagram (empty when none came by the deadline).
  std::string answer_next(std::int64_t unix_time, milliseconds deadline = default_deadline);

 private:
  udp_peer peer_;
};

}  // namespace e2e
