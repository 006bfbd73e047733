#include "agent/at_time.hpp"

#include <chrono>
#include <cstdio>

namespace agent {

// "yy/MM/dd,hh:mm:ss±zz" (local time, zz in quarters of an hour) of a UTC time.
std::string at_time_text(std::int64_t utc, int tz_quarters) {
  using namespace std::chrono;
  sys_seconds time{seconds{utc + tz_quarters * 15 * 60}};
  auto day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss clock{time - day};
  char text[40];
  std::snprintf(text, sizeof text, "%02d/%02u/%02u,%02d:%02d:%02d%c%02d", static_cast<int>(date.year()) % 100,
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()), tz_quarters < 0 ? '-' : '+',
                tz_quarters < 0 ? -tz_quarters : tz_quarters);
  return text;
}

// Reads "yy/MM/dd,hh:mm:ss±zz"; nullopt unless every field is there and in range (years 2000-2099, zone ±96).
std::optional<clock_setting> parse_at_time(const std::string& text) {
  int yy, mo, dd, hh, mi, ss, zz;
  char sign;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%2d/%2d/%2d,%2d:%2d:%2d%c%2d%n", &yy, &mo, &dd, &hh, &mi, &ss, &sign, &zz,
                  &consumed) != 8 ||
      consumed != static_cast<int>(text.size()) || (sign != '+' && sign != '-')) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day date{year{2000 + yy}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(dd)}};
  if (!date.ok() || hh > 23 || mi > 59 || ss > 59 || zz > 96) return std::nullopt;
  const int quarters = sign == '-' ? -zz : zz;
  auto local = sys_days{date} + hours{hh} + minutes{mi} + seconds{ss};
  return clock_setting{local.time_since_epoch().count() - quarters * 15 * 60, quarters};
}

std::optional<std::int64_t> parse_iso8601_seconds(std::string_view text, std::string_view& rest) {
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (shape[i] == 'd' ? !digit : text[i] != shape[i]) return std::nullopt;
  }
  const auto field = [text](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  using namespace std::chrono;
  const year_month_day date{year{field(0, 4)}, month{static_cast<unsigned>(field(5, 2))},
                            day{static_cast<unsigned>(field(8, 2))}};
  const int hh = field(11, 2), mi = field(14, 2), ss = field(17, 2);
  if (!date.ok() || hh > 23 || mi > 59 || ss > 59) return std::nullopt;
  rest = text.substr(shape.size());
  return (sys_days{date} + hours{hh} + minutes{mi} + seconds{ss}).time_since_epoch().count();
}

}  // namespace agent
