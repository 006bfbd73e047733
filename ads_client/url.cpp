#include "ads_client/url.hpp"

#include <algorithm>
#include <charconv>

namespace ads_client {

std::optional<url_parts> parse_url(std::string_view url) {
  url_parts parts;
  if (url.starts_with("https://")) {
    parts.scheme = "https";
    parts.port = "443";
  } else if (url.starts_with("http://")) {
    parts.scheme = "http";
    parts.port = "80";
  } else {
    return std::nullopt;
  }
  if (std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; }))
    return std::nullopt;
  const std::string_view rest = url.substr(parts.scheme.size() + 3);
  const auto path_at = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, path_at);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return std::nullopt;
  }
  if (host.empty()) return std::nullopt;
  if (!port.empty()) {
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535) return std::nullopt;
    parts.port = std::string(port);
  }
  parts.host = std::string(host);
  std::string_view target = path_at == std::string_view::npos ? std::string_view{} : rest.substr(path_at);
  target = target.substr(0, target.find('#'));  // a fragment is never sent
  parts.has_path = target.starts_with('/');
  parts.target = target.empty() || target.front() != '/' ? "/" + std::string(target) : std::string(target);
  return parts;
}

}  // namespace ads_client
