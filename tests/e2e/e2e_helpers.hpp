#pragma once
// Small checks several end-to-end tests share.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "harness/harness.hpp"

namespace e2e {

// A command line as the port shows it with echo on: the line, its CR, then the answer.
inline std::string echoed(const std::string& line, const std::string& answer) { return line + "\r" + answer; }

// A Debian program a test drives, when the machine has it.
inline bool installed(const std::string& program) { return std::filesystem::exists(program); }

// The next URC on the port is `line`.
inline void expect_urc(host_port& port, const std::string& line) {
  CHECK(port.read_until(line + "\r\n") == "\r\n" + line + "\r\n");
}

// A loopback TCP port nobody listens on now: the kernel's pick, released for a server the test starts (or for a
// connect that must be refused).
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  socklen_t length = sizeof address;
  const bool named = bound && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE(named);
  return ntohs(address.sin_port);
}

}  // namespace e2e
