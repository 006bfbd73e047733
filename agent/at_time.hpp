#pragma once
// at_time: the "yy/MM/dd,hh:mm:ss±zz" time of AT+CCLK and of SMS time stamps (local time; zz in quarters of an
// hour from UTC), both ways.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agent {

struct clock_setting {
  std::int64_t utc;
  int tz_quarters;
};

// The text of a UTC time shown in zone `tz_quarters`.
std::string at_time_text(std::int64_t utc, int tz_quarters);
// Reads the text back; nullopt unless every field is there and in range (years 2000-2099, zone ±96).
std::optional<clock_setting> parse_at_time(const std::string& text);

// The ISO 8601 "YYYY-MM-DDThh:mm:ss" that starts `text`, read as UTC (Unix seconds), with what follows it (a zone, a
// fraction) left in `rest`; nullopt when it is not there or a field is out of range.
std::optional<std::int64_t> parse_iso8601_seconds(std::string_view text, std::string_view& rest);

}  // namespace agent
