#include "agent/v250_commands.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

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

// A basic command's value: "E" and "E0" mean 0; only 0..max_value are valid.
std::optional<int> basic_value(const at_command& command, int max_value) {
  if (command.kind != at_command::form::action) return std::nullopt;
  if (command.args.empty()) return 0;
  auto value = parse_at_number(command.args);
  if (!value || *value < 0 || *value > max_value) return std::nullopt;
  return static_cast<int>(*value);
}

// ATE, ATV, ATQ: a flag set by 0 or 1.
command_handler flag_command(at_engine& engine, bool v250_settings::*flag) {
  return [&engine, flag](const at_command& command) {
    auto value = basic_value(command, 1);
    if (!value) return command_result::error();
    engine.settings().*flag = *value == 1;
    return command_result::ok();
  };
}

// ATS3, ATS4, ATS5: read as three digits ("013"), set 0..127.
command_handler s_register_command(at_engine& engine, int v250_settings::*reg) {
  return [&engine, reg](const at_command& command) {
    switch (command.kind) {
      case at_command::form::read: {
        char text[8];
        std::snprintf(text, sizeof text, "%03d", engine.settings().*reg);
        return command_result::ok({text});
      }
      case at_command::form::set: {
        auto value = parse_at_number(command.args);
        if (!value || *value < 0 || *value > 127) return command_result::error();
        engine.settings().*reg = static_cast<int>(*value);
        return command_result::ok();
      }
      case at_command::form::test: return command_result::ok({"S" + command.name.substr(1) + ": (0-127)"});
      default: return command_result::error();
    }
  };
}

// A dial-modem setting (ATL2, AT&C1) or S-register (ATS7=45, ATS0?): 0..max_value, remembered per name.
command_handler modem_setting_command(at_engine& engine, int max_value, int factory_value) {
  return [&engine, max_value, factory_value](const at_command& command) {
    auto& settings = engine.settings().modem_settings;
    const bool s_register = command.name.size() > 1 && command.name[0] == 'S';
    if (s_register) {
      switch (command.kind) {
        case at_command::form::read: {
          auto it = settings.find(command.name);
          char text[8];
          std::snprintf(text, sizeof text, "%03d", it == settings.end() ? factory_value : it->second);
          return command_result::ok({text});
        }
        case at_command::form::set: {
          auto value = parse_at_number(command.args);
          if (!value || *value < 0 || *value > max_value) return command_result::error();
          settings[command.name] = static_cast<int>(*value);
          return command_result::ok();
        }
        case at_command::form::test:
          return command_result::ok({command.name + ": (0-" + std::to_string(max_value) + ")"});
        default: return command_result::error();
      }
    }
    auto value = basic_value(command, max_value);
    if (!value) return command_result::error();
    settings[command.name] = *value;
    return command_result::ok();
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
  table.add("E", flag_command(engine, &v250_settings::echo));
  table.add("V", flag_command(engine, &v250_settings::verbose));
  table.add("Q", flag_command(engine, &v250_settings::quiet));
  table.add("S3", s_register_command(engine, &v250_settings::s3));
  table.add("S4", s_register_command(engine, &v250_settings::s4));
  table.add("S5", s_register_command(engine, &v250_settings::s5));
  // What minicom's default init string ("AT S7=45 S0=0 L1 V1 X4 &c1 E1 Q0") and similar ones send.
  struct modem_setting {
    const char* name;
    int max_value;
    int factory_value;
  };
  for (const modem_setting& setting : {modem_setting{"S0", 255, 0}, {"S6", 255, 2}, {"S7", 255, 60}, {"S8", 255, 2},
                                       {"S10", 255, 14}, {"L", 3, 0}, {"M", 2, 0}, {"X", 4, 4}, {"&C", 2, 1},
                                       {"&D", 2, 2}, {"&S", 1, 0}}) {
    table.add(setting.name, modem_setting_command(engine, setting.max_value, setting.factory_value));
  }

  table.add("Z", [&engine, &profiles](const at_command& command) {
    if (!basic_value(command, 0)) return command_result::error();
    engine.settings() = profiles.load();
    return command_result::ok();
  });
  table.add("&F", [&engine](const at_command& command) {
    if (!basic_value(command, 0)) return command_result::error();
    engine.settings() = factory_settings_keeping_rate(engine.settings());
    return command_result::ok();
  });
  table.add("&W", [&engine, &profiles](const at_command& command) {
    if (!basic_value(command, 0)) return command_result::error();
    // OK only once the profile is durable, as the module acknowledges an NV write.
    profiles.save(engine.settings(), [&engine](bool ok) {
      engine.complete(ok ? command_result::ok() : command_result::error());
    });
    return command_result::held();
  });

  table.add("+CMEE", [&engine](const at_command& command) {
    switch (command.kind) {
      case at_command::form::read: return command_result::ok({"+CMEE: " + std::to_string(engine.settings().cmee)});
      case at_command::form::test: return command_result::ok({"+CMEE: (0-2)"});
      case at_command::form::set: {
        auto value = command.args.empty() ? std::optional<long>(0) : parse_at_number(command.args);
        if (!value || *value < 0 || *value > 2) return command_result::error();
        engine.settings().cmee = static_cast<int>(*value);
        return command_result::ok();
      }
      default: return command_result::error();
    }
  });

  table.add("+IPR", [&engine](const at_command& command) {
    switch (command.kind) {
      case at_command::form::read: return command_result::ok({"+IPR: " + std::to_string(engine.settings().ipr)});
      case at_command::form::test: {
        std::string list;
        for (long rate : supported_rates) list += (list.empty() ? "" : ",") + std::to_string(rate);
        return command_result::ok({"+IPR: (" + list + ")"});
      }
      case at_command::form::set: {
        auto value = parse_at_number(command.args);
        if (!value || std::find(supported_rates.begin(), supported_rates.end(), *value) == supported_rates.end()) {
          return command_result::error();
        }
        engine.settings().ipr = static_cast<int>(*value);
        return command_result::ok();
      }
      default: return command_result::error();
    }
  });
}

}  // namespace agent
