#include "common/duration.hpp"

#include <charconv>
#include <cstdint>
#include <map>
#include <string>

namespace common {

outcome<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::int64_t amount = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), amount);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  const std::map<std::string_view, std::int64_t> units = {{"ms", 1}, {"s", 1000}, {"m", 60000}};
  const auto scale = units.find(unit);
  if (error != std::errc() || amount < 0 || scale == units.end())
    return failure{"'" + std::string(text) + "' is not a duration (250ms, 10s, 2m)"};
  return std::chrono::milliseconds(amount * scale->second);
}

}  // namespace common
