#pragma once
// parse_duration: "250ms", "10s", "2m" as written in scenario and fleet files, the one reader of such durations.
#include <chrono>
#include <string_view>

#include "common/result.hpp"

namespace common {

// A whole, non-negative amount and a unit (ms, s, m); anything else is a one-line reason naming the text.
outcome<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace common
