#pragma once
// source_ports: whether the modules' connections to the device service fit the system's source ports. Linux gives
// each outgoing TCP connection a source port from net.ipv4.ip_local_port_range (32768-60999 by default: 28,232), and
// connections from one address to one service address and port each need their own. Sans-I/O: the caller reads
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

// A range of source ports, both ends included.
struct port_range {
  unsigned first = 0;
  unsigned last = 0;
  std::size_t size() const { return last >= first ? last - first + 1 : 0; }
};

// The range as the kernel words it ("32768\t60999\n"), or why the text is not one.
common::outcome<port_range> parse_port_range(std::string_view text);

// One line for a person when `modules` may need more source ports toward `service` (HOST:PORT) than `range` has,
// saying what then fails and what to do; nothing when they fit.
std::optional<std::string> source_port_warning(const port_range& range, std::size_t modules,
                                               std::string_view service);

}  // namespace fleet
