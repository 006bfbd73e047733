#include "scenario/port_address.hpp"

#include <charconv>

namespace scenario {

namespace {

// Four numbers of 0..255 joined by dots: the only host connect_tcp takes.
bool ipv4(std::string_view host) {
  int parts = 0;
  while (true) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(host.data(), host.data() + host.size(), value);
    if (ec != std::errc() || end == host.data() || value > 255) return false;
    ++parts;
    host.remove_prefix(static_cast<std::size_t>(end - host.data()));
    if (host.empty()) return parts == 4;
    if (host.front() != '.') return false;
    host.remove_prefix(1);
  }
}

}  // namespace

std::optional<tcp_address> tcp_port_address(std::string_view port) {
  const auto colon = port.rfind(':');
  if (colon == std::string_view::npos || port.find('/') != std::string_view::npos) return std::nullopt;
  const std::string_view host = port.substr(0, colon);
  const std::string_view number = port.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (!ipv4(host) || ec != std::errc() || end != number.data() + number.size() || value == 0 || value > 65535)
    return std::nullopt;
  return tcp_address{std::string(host), static_cast<unsigned short>(value)};
}

}  // namespace scenario
