// The clock and the supply: AT+CCLK (the RTC), AT+CTZU / AT+CTZR (network time zone updates and their URCs),
// AT+CBC (supply voltage), AT+CPMUTEMP (temperature), AT+CADC (the ADC pin).
#include <chrono>
#include <cstdio>
#include <optional>

#include "agent/modem_commands.hpp"

namespace agent {
namespace {

// The ADC pin of the emulated board: a fixed 1.8 V divider, raw on a 12-bit scale of 2.2 V.
constexpr int adc_millivolts = 1800;
constexpr int adc_raw = adc_millivolts * 4095 / 2200;

// "yy/MM/dd,hh:mm:ss±zz" (local time, zz in quarters of an hour) of a UTC time.
std::string cclk_time(std::int64_t utc, int tz_quarters) {
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

struct clock_setting {
  std::int64_t utc;
  int tz_quarters;
};

// Reads "yy/MM/dd,hh:mm:ss±zz"; nullopt unless every field is there and in range (years 2000-2099, zone ±96).
std::optional<clock_setting> parse_cclk(const std::string& text) {
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

// A 0/1 setting with the usual read, set and test rows ("+CTZU: 1", AT+CTZU=0, "+CTZU: (0-1)").
command_row switch_row(std::string name, std::function<bool()> get, std::function<void(bool)> set) {
  std::string prefix = name + ": ";
  return {.name = std::move(name),
          .test = answer({prefix + "(0-1)"}),
          .read = [prefix, get] { return command_result::ok({prefix + (get() ? "1" : "0")}); },
          .set =
              [set](const at_params& params) {
                set(params.integer(0) == 1);
                return command_result::ok();
              },
          .set_args = {integer(0, 1)}};
}

}  // namespace

void modem_commands::add_clock_power_commands(command_table& table) {
  table.add({.name = "+CCLK",
             .test = answer_ok(),
             .read =
                 [this] {
                   return command_result::ok({"+CCLK: \"" +
                                              cclk_time(world_.clock_now(ports_.clock.unix_seconds()), world_.time_zone()) +
                                              "\""});
                 },
             .set =
                 [this](const at_params& params) {
                   auto setting = parse_cclk(params.text(0));
                   if (!setting) return command_result::error();
                   world_.set_clock(setting->utc, setting->tz_quarters, ports_.clock.unix_seconds());
                   return command_result::ok();
                 },
             .set_args = {text(20)}});
  table.add(switch_row(
      "+CTZU", [this] { return world_.auto_time_zone(); }, [this](bool on) { world_.set_auto_time_zone(on); }));
  table.add(switch_row(
      "+CTZR", [this] { return world_.time_zone_reports(); }, [this](bool on) { world_.set_time_zone_reports(on); }));

  table.add({.name = "+CBC",
             .test = answer_ok(),
             .action =
                 [this] {
                   const int mv = world_.battery_millivolts();
                   char text[24];
                   std::snprintf(text, sizeof text, "+CBC: %d.%03dV", mv / 1000, mv % 1000);
                   return command_result::ok({text});
                 }});
  table.add({.name = "+CPMUTEMP",
             .test = answer_ok(),
             .action = [this] {
               return command_result::ok({"+CPMUTEMP: " + std::to_string(world_.temperature_celsius())});
             }});
  table.add({.name = "+CADC",
             .test = answer({"+CADC: (0,2)"}),
             .set = [](const at_params& params) {
               return command_result::ok({"+CADC: " + std::to_string(params.integer(0) == 0 ? adc_raw : adc_millivolts)});
             },
             .set_args = {integer_of({0, 2})}});
}

}  // namespace agent
