#pragma once
// port_address: what a case's `module: {port: ...}` names — a TTY's path, or a module's AT port on TCP written
// IPV4:PORT (sim7600-fleet's modules, a serial server such as ser2net). Sans-I/O.
#include <optional>
#include <string>
#include <string_view>

namespace scenario {

struct tcp_address {
  std::string host;  // an IPv4 address
  unsigned short port = 0;
  bool operator==(const tcp_address&) const = default;
};

// The TCP address `port` names, or nothing when it is a path (it has a '/', or no ":PORT" after an IPv4 address).
std::optional<tcp_address> tcp_port_address(std::string_view port);

}  // namespace scenario
