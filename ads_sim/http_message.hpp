#pragma once
// http_message: the plain request/response values the sans-I/O service core works on (no Beast, no sockets).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ads_sim {

struct http_request {
  std::string method;  // upper case, as on the request line
  std::string target;  // path and query, as on the request line
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Identifies the connection the request came on, so the core knows which devices are connected.
  std::uint64_t connection_id = 0;

  std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive
  std::string_view path() const;                                         // target without "?query"
  // The first value of query parameter `name`; all its values (names[]=a&names[]=b), names and values %-decoded.
  std::optional<std::string> query_param(std::string_view name) const;
  std::vector<std::string> query_values(std::string_view name) const;
};

struct http_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

http_response json_response(int status, const nlohmann::json& body);
http_response error_response(int status, std::string_view why);
http_response empty_response(int status);

bool iequals(std::string_view a, std::string_view b);

// The name=value pairs of a query or of an application/x-www-form-urlencoded body, in order and %-decoded; in a
// form body '+' is a space (as Python's requests sends data=), in a query it stays.
std::vector<std::pair<std::string, std::string>> url_encoded_pairs(std::string_view text, bool plus_is_space);

}  // namespace ads_sim
