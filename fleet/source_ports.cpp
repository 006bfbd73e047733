#include "fleet/source_ports.hpp"

#include <charconv>

namespace fleet {

namespace {

// Skips spaces and tabs, then reads one port number.
std::optional<unsigned> read_port(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value == 0 || value > 65535) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

// A literal IPv4 loopback address (127.0.0.0/8): only then can another loopback address reach it. A host name may
// resolve to IPv6 (localhost to ::1), which an IPv4 source cannot reach.
bool ipv4_loopback(std::string_view host) {
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (const char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

std::string address_number(std::size_t n) { return "127.0.0." + std::to_string(n); }

}  // namespace

common::outcome<port_range> parse_port_range(std::string_view text) {
  const auto first = read_port(text);
  const auto last = first ? read_port(text) : std::nullopt;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) text.remove_prefix(1);
  if (!first || !last || *last < *first || !text.empty())
    return common::failure{"not a port range (two port numbers, the first not above the second)"};
  return port_range{*first, *last};
}

source_plan plan_source_addresses(const port_range& range, std::size_t modules, std::string_view service_host,
                                  std::string_view service_port) {
  const std::size_t most = modules * service_connections_per_module;
  const std::size_t per_address = range.size() > spare_source_ports ? range.size() - spare_source_ports : 0;
  if (most <= per_address) return {};
  const std::string ranged = std::to_string(range.size()) + " source ports (net.ipv4.ip_local_port_range " +
                             std::to_string(range.first) + "-" + std::to_string(range.last) + ")";
  const std::size_t needed = per_address == 0 ? most_source_addresses + 1 : (most + per_address - 1) / per_address;
  if (ipv4_loopback(service_host) && needed <= most_source_addresses) {
    return {needed, std::to_string(modules) + " modules connect from " + address_number(1) + " to " +
                        address_number(needed) + ": up to " + std::to_string(most) +
                        " connections to the service, and one address has " + ranged};
  }
  return {1, std::to_string(modules) + " modules may hold up to " + std::to_string(most) + " connections to " +
                 std::string(service_host) + ":" + std::string(service_port) + " at once and the system has " +
                 ranged + ": a connection past them fails with 'Cannot assign requested address'; widen the range " +
                 "(sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\") or run the fleet as shards on several " +
                 "machines (--shard)"};
}

std::string module_source_address(std::size_t index, std::size_t addresses) {
  if (addresses <= 1) return {};
  return address_number(1 + index % addresses);
}

}  // namespace fleet
