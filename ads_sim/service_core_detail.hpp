#pragma once
// Internals of service_core shared by its source files (routing, validation, JSON shapes). Not a public API.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_sim/service_core.hpp"

namespace ads_sim {

struct service_core::call {
  const http_request& request;
  clock_time now;
  std::vector<std::string> params;          // the route's captured segments
  std::optional<device_record> device;      // the authenticated device, on device routes
  std::vector<std::pair<std::string, std::string>> extra_headers;
  nlohmann::json body;                      // the parsed body of POST/PUT (always an object)
  prepared_inputs prepared;                 // what the I/O layer made because a handler asked (need_keys)
};

namespace detail {

// Captures of `pattern` ("{}" = a segment, "{}.json" = a segment ending in ".json") in `path`, or nullopt.
std::optional<std::vector<std::string>> match_path(std::string_view pattern, std::string_view path);

// The first route of `table` (rows with `method` and `pattern`) for a request; `path_known` tells a 405 from a 404.
template <typename Route>
struct route_match {
  const Route* route = nullptr;
  bool path_known = false;
  std::vector<std::string> params;
};

template <typename Route>
route_match<Route> find_route(const std::vector<Route>& table, std::string_view method, std::string_view path) {
  route_match<Route> match;
  for (const auto& candidate : table) {
    auto captures = match_path(candidate.pattern, path);
    if (!captures) continue;
    match.path_known = true;
    if (candidate.method == method) {
      match.route = &candidate;
      match.params = std::move(*captures);
      break;
    }
  }
  return match;
}

// Whether a Content-Type header names JSON (parameters such as charset allowed).
bool is_json_content_type(std::optional<std::string_view> content_type);
// Property, model and OEM names: 1..max of [A-Za-z0-9_.-].
bool valid_name(std::string_view name, std::size_t max);
// 1..max printable ASCII characters, no spaces (they separate signed fields).
bool printable_word(std::string_view text, std::size_t max);
std::optional<std::int64_t> parse_int(std::string_view text);
std::vector<std::string_view> split_spaces(std::string_view text);
// The string member `name` of a JSON object, or null when absent or not a string.
const std::string* string_field(const nlohmann::json& object, std::string_view name);
nlohmann::json parsed_or_null(const std::optional<std::string>& text);
nlohmann::json property_json(const property_record& property);
// Constant-time, so the answer's timing says nothing about how much of a guessed secret was right.
bool same_secret(std::string_view given, std::string_view secret);

// The error of a failed in-process call as the HTTP answer.
template <typename T>
http_response failure_response(const api_result<T>& result) {
  return error_response(result.status, result.error);
}

}  // namespace detail
}  // namespace ads_sim
