#pragma once
// Plain HTTP messages exchanged between the APCA core (which builds and reads them, sans-I/O) and the HTTPS
// transport (which only moves them).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ads_client {

struct http_request {
  std::string method;  // "GET", "PUT", "POST"
  std::string target;  // "/dsns/AC000W000000001.json"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // JSON text; empty for none
};

struct http_response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::optional<std::string> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  }
};

// No HTTP answer at all: the connection could not be made, was refused by TLS verification, timed out or was lost.
struct transport_error {
  std::string what;  // "connect: Connection refused", "handshake: certificate verify failed", "read: timed out"
};

using http_outcome = std::variant<http_response, transport_error>;

}  // namespace ads_client
