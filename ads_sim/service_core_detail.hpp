#pragma once
// Checks and JSON shapes shared by the service core's source files and route handlers. Not a public API.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_sim/store/store.hpp"

namespace ads_sim::detail {

// Property, model and OEM names: 1..max of [A-Za-z0-9_.-].
bool valid_name(std::string_view name, std::size_t max);
// 1..max printable ASCII characters, no spaces (they separate signed fields).
bool printable_word(std::string_view text, std::size_t max);
std::optional<std::int64_t> parse_int(std::string_view text);
std::vector<std::string_view> split_spaces(std::string_view text);
nlohmann::json property_json(const property_record& property);
// The ota.json command's data (and the answer of location.json): where the image is and how to check it.
nlohmann::json ota_offer(const image_record& image, const std::string& url, std::string_view source);
// Constant-time, so the answer's timing says nothing about how much of a guessed secret was right.
bool same_secret(std::string_view given, std::string_view secret);

}  // namespace ads_sim::detail
