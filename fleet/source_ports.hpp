#pragma once
// source_ports: fitting the modules' connections to the device service into the system's source ports. Linux
// gives each outgoing TCP connection a source port from net.ipv4.ip_local_port_range (32768-60999 by default:
// 28,232), and connections from one address to one service address and port each need their own. A fleet whose
// service is on loopback spreads its modules over several loopback source addresses (127.0.0.1, .2, ...), each with
// the whole range; toward a service elsewhere it can only say what would fail. Sans-I/O: the caller reads
// /proc/sys/net/ipv4/ip_local_port_range.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace fleet {

// The most connections one module holds to the device service at once: control, poll and download, and the image
// host when the service serves the images itself (ads-sim does).
constexpr std::size_t service_connections_per_module = 4;
// Ports left on each address for what else connects or listens there (the embedded service's listeners, admin calls).
constexpr std::size_t spare_source_ports = 16;
// The loopback source addresses a fleet may use: 127.0.0.1 to 127.0.0.254.
constexpr std::size_t most_source_addresses = 254;

// A range of source ports, both ends included.
struct port_range {
  unsigned first = 0;
  unsigned last = 0;
  std::size_t size() const { return last >= first ? last - first + 1 : 0; }
};

// The range as the kernel words it ("32768\t60999\n"), or why the text is not one.
common::outcome<port_range> parse_port_range(std::string_view text);

// Over how many loopback source addresses the modules connect (1: the system's choice, nothing bound), and the one
// line a person is told about it: where they were spread, or what would fail and what to do; none when they fit.
struct source_plan {
  std::size_t addresses = 1;
  std::optional<std::string> line;
};

// The plan for `modules` modules whose service is `service_host`:`service_port`.
source_plan plan_source_addresses(const port_range& range, std::size_t modules, std::string_view service_host,
                                  std::string_view service_port);

// Module `index`'s source address under a plan of `addresses`: "" when 1, else 127.0.0.(1 + index % addresses).
std::string module_source_address(std::size_t index, std::size_t addresses);

}  // namespace fleet
