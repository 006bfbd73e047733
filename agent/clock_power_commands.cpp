// The clock and the supply: AT+CCLK (the RTC), AT+CTZU / AT+CTZR (network time zone updates and their URCs),
// AT+CBC (supply voltage), AT+CPMUTEMP (temperature), AT+CADC (the ADC pin).
#include <cstdio>

#include "agent/at_time.hpp"
#include "agent/modem_commands.hpp"

namespace agent {
namespace {

// The ADC pin of the emulated board: a fixed 1.8 V divider, raw on a 12-bit scale of 2.2 V.
constexpr int adc_millivolts = 1800;
constexpr int adc_raw = adc_millivolts * 4095 / 2200;

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

command_result read_cclk(modem_context& modem) {
  const radio_world& world = modem.world;
  return command_result::ok(
      {"+CCLK: \"" + at_time_text(world.clock_now(modem.ports.clock.unix_seconds()), world.time_zone()) + "\""});
}

command_result set_cclk(modem_context& modem, const at_params& params) {
  auto setting = parse_at_time(params.text(0));
  if (!setting) return command_result::error();
  modem.world.set_clock(setting->utc, setting->tz_quarters, modem.ports.clock.unix_seconds());
  return command_result::ok();
}

command_result run_cbc(modem_context& modem) {
  const int mv = modem.world.battery_millivolts();
  char text[24];
  std::snprintf(text, sizeof text, "+CBC: %d.%03dV", mv / 1000, mv % 1000);
  return command_result::ok({text});
}

command_result run_cpmutemp(modem_context& modem) {
  return command_result::ok({"+CPMUTEMP: " + std::to_string(modem.world.temperature_celsius())});
}

command_result set_cadc(const at_params& params) {
  return command_result::ok({"+CADC: " + std::to_string(params.integer(0) == 0 ? adc_raw : adc_millivolts)});
}

}  // namespace

void add_clock_power_commands(command_table& table, modem_context& modem) {
  radio_world& world = modem.world;
  table.add({.name = "+CCLK",
             .test = answer_ok(),
             .read = handler(modem, read_cclk),
             .set = handler(modem, set_cclk),
             .set_args = {text(20)}});
  table.add(switch_row(
      "+CTZU", [&world] { return world.auto_time_zone(); }, [&world](bool on) { world.set_auto_time_zone(on); }));
  table.add(switch_row(
      "+CTZR", [&world] { return world.time_zone_reports(); }, [&world](bool on) { world.set_time_zone_reports(on); }));
  table.add({.name = "+CBC", .test = answer_ok(), .action = handler(modem, run_cbc)});
  table.add({.name = "+CPMUTEMP", .test = answer_ok(), .action = handler(modem, run_cpmutemp)});
  table.add({.name = "+CADC", .test = answer({"+CADC: (0,2)"}), .set = set_cadc, .set_args = {integer_of({0, 2})}});
}

}  // namespace agent
