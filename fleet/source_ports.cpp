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

}  // namespace

common::outcome<port_range> parse_port_range(std::string_view text) {
  const auto first = read_port(text);
  const auto last = first ? read_port(text) : std::nullopt;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) text.remove_prefix(1);
  if (!first || !last || *last < *first || !text.empty())
    return common::failure{"not a port range (two port numbers, the first not above the second)"};
  return port_range{*first, *last};
}

std::optional<std::string> source_port_warning(const port_range& range, std::size_t modules,
                                               std::string_view service) {
  const std::size_t most = modules * service_connections_per_module;
  if (most <= range.size()) return std::nullopt;
  return std::to_string(modules) + " modules may hold up to " + std::to_string(most) + " connections to " +
         std::string(service) + " at once and the system has " + std::to_string(range.size()) +
         " source ports (net.ipv4.ip_local_port_range " + std::to_string(range.first) + "-" +
         std::to_string(range.last) + "): a connection past them fails with 'Cannot assign requested address'; " +
         "widen the range (sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\") or run the fleet as shards on several machines (--shard)";
}

}  // namespace fleet
