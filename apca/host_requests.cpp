#include "apca/host_requests.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace apca {

std::optional<property_type_word> parse_property_type(std::string_view letter) {
  std::string lower(letter);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "b") return property_type_word{property_type::boolean, std::nullopt, false};
  if (lower == "i") return property_type_word{property_type::integer, std::nullopt, false};
  if (lower == "d") return property_type_word{property_type::decimal, std::nullopt, false};
  if (lower == "s") return property_type_word{property_type::string, std::nullopt, false};
  if (lower == "m") return property_type_word{std::nullopt, std::nullopt, true};
  if (auto chunk = parse_chunk_kind(lower)) return property_type_word{property_type::string, chunk, false};
  return std::nullopt;
}

std::string_view property_type_letter(property_type type) {
  switch (type) {
    case property_type::boolean:
      return "b";
    case property_type::integer:
      return "i";
    case property_type::decimal:
      return "d";
    case property_type::string:
      return "s";
  }
  return "s";
}

std::optional<ada_error> check_property_value(property_type type, std::string_view value) {
  if (value.size() > max_property_value) return ada_error{ada_code::len_err, "value too long"};
  const ada_error invalid{ada_code::invalid, "value"};
  switch (type) {
    case property_type::boolean:
      if (value != "0" && value != "1") return invalid;
      return std::nullopt;
    case property_type::integer: {
      std::int64_t number = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
          number < std::numeric_limits<std::int32_t>::min() || number > std::numeric_limits<std::int32_t>::max()) {
        return invalid;
      }
      return std::nullopt;
    }
    case property_type::decimal: {
      // [-]digits[.digits]: what the cloud's decimal base type accepts.
      std::string_view rest = value;
      if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
      auto dot = rest.find('.');
      auto whole = rest.substr(0, dot);
      auto fraction = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
      auto digits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
      };
      if (whole.empty() || !digits(whole) || !digits(fraction) || (dot != std::string_view::npos && fraction.empty())) {
        return invalid;
      }
      return std::nullopt;
    }
    case property_type::string:
      return std::nullopt;
  }
  return invalid;
}

}  // namespace apca
