#include "agent/v250_commands.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <utility>

#include "agent/at_args.hpp"

namespace agent {
namespace {

constexpr std::array<long, 17> supported_rates{0,      300,    600,    1200,   2400,   4800,    9600,    19200,  38400,
                                               57600,  115200, 230400, 460800, 921600, 3000000, 3200000, 3686400};

constexpr const char* nv_echo = "at/echo";
constexpr const char* nv_verbose = "at/verbose";
constexpr const char* nv_quiet = "at/quiet";
constexpr const char* nv_cmee = "at/cmee";
constexpr const char* nv_ipr = "at/ipr";

// A basic command's digits (ATE1, ATL2): "E" alone means 0; only 0..max_value are valid.
std::vector<arg_spec> basic_digits(int max_value) { return {optional(integer(0, max_value))}; }

std::string three_digits(int value) {
  char text[8];
  std::snprintf(text, sizeof text, "%03d", value);
  return text;
}

// An S register (ATS3?, ATS3=13, ATS3=?): read as three digits ("013"), set 0..max_value.
command_row s_register_row(std::string name, int max_value, std::function<int()> get, std::function<void(int)> set) {
  std::string test_line = name + ": (0-" + std::to_string(max_value) + ")";
  return {
      .name = std::move(name),
      .test = answer({std::move(test_line)}),
      .read = [get] { return command_result::ok({three_digits(get())}); },
      .set =
          [set](const at_params& params) {
            set(params.integer(0));
            return command_result::ok();
          },
      .set_args = {integer(0, max_value)},
  };
}

// A basic command that sets one value from its digits (ATE1, ATL2, AT&C1).
command_row basic_setting_row(std::string name, int max_value, std::function<void(int)> apply) {
  return {
      .name = std::move(name),
      .action =
          [apply](const at_params& params) {
            apply(params.integer(0));
            return command_result::ok();
          },
      .action_args = basic_digits(max_value),
  };
}

// Everything but the UART rate goes back to the factory values: changing the rate under the host would cut
// the link it just used to send the command.
v250_settings factory_settings_keeping_rate(const v250_settings& current) {
  v250_settings factory;
  factory.ipr = current.ipr;
  return factory;
}

int to_int(const std::optional<std::string>& text, int fallback) {
  if (!text) return fallback;
  auto value = parse_at_number(*text);
  return value ? static_cast<int>(*value) : fallback;
}

// What the V.250 handlers act on: the port's settings, and where AT&W and ATZ keep the user profile.
struct v250_port {
  at_engine& engine;
  v250_profile_store& profiles;
  v250_settings& settings() { return engine.settings(); }
};

command_result run_z(v250_port& port) {
  port.settings() = port.profiles.load();
  return command_result::ok();
}

command_result run_factory_reset(v250_port& port) {  // AT&F
  port.settings() = factory_settings_keeping_rate(port.settings());
  return command_result::ok();
}

command_result run_store_profile(v250_port& port) {  // AT&W
  // OK only once the profile is durable, as the module acknowledges an NV write.
  port.profiles.save(port.settings(), [&engine = port.engine](bool ok) {
    engine.complete(ok ? command_result::ok() : command_result::error());
  });
  return command_result::held();
}

command_result read_cmee(v250_port& port) {
  return command_result::ok({"+CMEE: " + std::to_string(port.settings().cmee)});
}

command_result set_cmee(v250_port& port, const at_params& params) {
  port.settings().cmee = params.integer(0, 0);  // AT+CMEE= means 0
  return command_result::ok();
}

command_result read_ipr(v250_port& port) {
  return command_result::ok({"+IPR: " + std::to_string(port.settings().ipr)});
}

command_result set_ipr(v250_port& port, const at_params& params) {
  port.settings().ipr = params.integer(0);
  return command_result::ok();
}

// "(0,300,...)": the rates AT+IPR=? lists.
std::string rate_list() {
  std::string rates;
  for (long rate : supported_rates) rates += (rates.empty() ? "" : ",") + std::to_string(rate);
  return "(" + rates + ")";
}

// What minicom's default init string ("AT S7=45 S0=0 L1 V1 X4 &c1 E1 Q0") and similar ones send: kept and read
// back, with no effect on a module that never dials a voice or CSD call.
struct modem_setting {
  const char* name;
  int max_value;
  int factory_value;
};
constexpr modem_setting modem_settings[] = {{"S0", 255, 0},  {"S6", 255, 2}, {"S7", 255, 60}, {"S8", 255, 2},
                                            {"S10", 255, 14}, {"L", 3, 0},    {"M", 2, 0},     {"X", 4, 4},
                                            {"&C", 2, 1},     {"&D", 2, 2},   {"&S", 1, 0}};

// The row of one of them: an S register, or a basic command's digits.
command_row modem_setting_row(const std::shared_ptr<v250_port>& port, const modem_setting& setting) {
  std::string name = setting.name;
  auto store = [port, name](int value) { port->settings().modem_settings[name] = value; };
  if (name.size() < 2 || name[0] != 'S') return basic_setting_row(name, setting.max_value, store);
  auto get = [port, name, factory = setting.factory_value] {
    const auto& stored = port->settings().modem_settings;
    auto it = stored.find(name);
    return it == stored.end() ? factory : it->second;
  };
  return s_register_row(name, setting.max_value, get, store);
}

}  // namespace

v250_settings profile_from_nv(const config_store::nv_image& nv) {
  v250_settings profile;
  profile.echo = to_int(nv.get(nv_echo), profile.echo) != 0;
  profile.verbose = to_int(nv.get(nv_verbose), profile.verbose) != 0;
  profile.quiet = to_int(nv.get(nv_quiet), profile.quiet) != 0;
  profile.cmee = std::clamp(to_int(nv.get(nv_cmee), profile.cmee), 0, 2);
  profile.ipr = to_int(nv.get(nv_ipr), profile.ipr);
  return profile;
}

std::map<std::string, std::string> profile_to_nv(const v250_settings& profile) {
  return {
      {nv_echo, profile.echo ? "1" : "0"},
      {nv_verbose, profile.verbose ? "1" : "0"},
      {nv_quiet, profile.quiet ? "1" : "0"},
      {nv_cmee, std::to_string(profile.cmee)},
      {nv_ipr, std::to_string(profile.ipr)},
  };
}

void add_v250_commands(command_table& table, at_engine& engine, v250_profile_store& profiles) {
  auto port = std::make_shared<v250_port>(v250_port{engine, profiles});
  for (auto [name, flag] : {std::pair{"E", &v250_settings::echo}, {"V", &v250_settings::verbose},
                            {"Q", &v250_settings::quiet}}) {
    table.add(basic_setting_row(name, 1, [port, flag = flag](int value) { port->settings().*flag = value == 1; }));
  }
  // S3, S4 and S5 frame and edit lines; the V.250 limit for all three is 127.
  for (auto [name, reg] : {std::pair{"S3", &v250_settings::s3}, {"S4", &v250_settings::s4},
                           {"S5", &v250_settings::s5}}) {
    // (reg = reg: clang 14 cannot capture a structured binding.)
    auto get = [port, reg = reg] { return port->settings().*reg; };
    auto set = [port, reg = reg](int value) { port->settings().*reg = value; };
    table.add(s_register_row(name, 127, get, set));
  }
  for (const modem_setting& setting : modem_settings) table.add(modem_setting_row(port, setting));

  table.add({.name = "Z", .action = handler(port, run_z), .action_args = basic_digits(0)});
  table.add({.name = "&F", .action = handler(port, run_factory_reset), .action_args = basic_digits(0)});
  table.add({.name = "&W", .action = handler(port, run_store_profile), .action_args = basic_digits(0)});
  table.add({.name = "+CMEE",
             .test = answer({"+CMEE: (0-2)"}),
             .read = handler(port, read_cmee),
             .set = handler(port, set_cmee),
             .set_args = {optional(integer(0, 2))}});
  table.add({.name = "+IPR",
             .test = answer({"+IPR: " + rate_list()}),
             .read = handler(port, read_ipr),
             .set = handler(port, set_ipr),
             .set_args = {integer_of({supported_rates.begin(), supported_rates.end()})}});
}

}  // namespace agent
