#pragma once
// json_fields: reading request JSON without exceptions — a member is there with the wanted type, or it is not, so
// a handler answers a malformed field with its own message and no exception ever leaves a handler.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ads_sim {

// The JSON object `text` holds; nullopt when it is not JSON or not an object.
std::optional<nlohmann::json> parse_json_object(std::string_view text);
// Whether a Content-Type header names JSON (parameters such as charset allowed).
bool is_json_content_type(std::optional<std::string_view> content_type);

// Member `name` of `object`, or null when `object` is no object or lacks it.
const nlohmann::json* member(const nlohmann::json& object, std::string_view name);
// ... when it is a string / an integer that fits int64 / an object; else null (nullopt).
const std::string* string_field(const nlohmann::json& object, std::string_view name);
std::optional<std::int64_t> integer_field(const nlohmann::json& object, std::string_view name);
const nlohmann::json* object_field(const nlohmann::json& object, std::string_view name);
// The string member `name`, or "" when absent or not a string.
std::string text_or_empty(const nlohmann::json& object, std::string_view name);

// A JSON text kept in the store as its value; null when absent or unreadable.
nlohmann::json parsed_or_null(const std::optional<std::string>& text);

}  // namespace ads_sim
