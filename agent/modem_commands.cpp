#include "agent/modem_commands.hpp"

#include <cstdio>
#include <optional>
#include <vector>

#include "agent/at_args.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

using form = at_command::form;

// The serving cell the emulated network reports with AT+CREG=2 / AT+CEREG=2.
constexpr const char* serving_area = "\"1816\",\"0C1B2A03\"";
constexpr const char* operator_name = "CHINA MOBILE";
constexpr int access_technology_lte = 7;

// AT+CREG (circuit-switched), AT+CGREG (GPRS), AT+CEREG (EPS): one behaviour, three domains.
struct registration_command {
  modem_state::registration_kind kind;
  std::string_view name;
};
constexpr registration_command registration_commands[] = {
    {modem_state::registration_kind::cs, "+CREG"},
    {modem_state::registration_kind::gprs, "+CGREG"},
    {modem_state::registration_kind::eps, "+CEREG"},
};

// A command with a fixed answer in one form; its test form answers OK, as the SIM7600 does.
command_result fixed_answer(const at_command& command, form answered, std::vector<std::string> lines) {
  if (command.kind == answered) return command_result::ok(std::move(lines));
  if (command.kind == form::test) return command_result::ok();
  return command_result::error();
}

// Argument `index` as an integer in [low, high]; nullopt when absent, empty, quoted or out of range.
std::optional<int> int_arg(const std::vector<at_arg>& args, std::size_t index, long low, long high) {
  if (index >= args.size() || args[index].quoted) return std::nullopt;
  auto value = parse_at_number(args[index].value);
  if (!value || *value < low || *value > high) return std::nullopt;
  return static_cast<int>(*value);
}

std::string upper_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// "yy/MM/dd,hh:mm:ss+zz" in UTC (zz: quarter hours from UTC, so +00).
std::string cclk_time(std::int64_t unix_seconds) {
  using namespace std::chrono;
  sys_seconds time{seconds{unix_seconds}};
  auto day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss clock{time - day};
  char text[32];
  std::snprintf(text, sizeof text, "%02d/%02u/%02u,%02d:%02d:%02d+00", static_cast<int>(date.year()) % 100,
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

}  // namespace

std::string module_revision(std::string_view firmware_version) {
  return std::string(firmware_version.substr(0, firmware_version.find('_')));
}

modem_commands::modem_commands(module_identity identity, modem_state& state, modem_ports ports)
    : identity_(std::move(identity)), state_(state), ports_(std::move(ports)) {}

void modem_commands::add_to(command_table& table) {
  auto bind = [this](auto member) {
    return [this, member](const at_command& command) { return (this->*member)(command); };
  };
  for (const char* name : {"I", "+CGMI", "+CGMM", "+CGMR", "+CGSN", "+SIMCOMATI", "+CIMI", "+CICCID"}) {
    table.add(name, bind(&modem_commands::identification));
  }
  table.add("+CPIN", [](const at_command& command) {
    // Entering a PIN when none is asked for is refused.
    if (command.kind == form::set) return command_result::cme(3);
    return fixed_answer(command, form::read, {"+CPIN: READY"});
  });
  table.add("+CSQ", [this](const at_command& command) {
    if (command.kind == form::test) return command_result::ok({"+CSQ: (0-31,99),(0-7,99)"});
    return fixed_answer(command, form::action, {state_.radio_on() ? "+CSQ: 23,99" : "+CSQ: 99,99"});
  });
  for (const auto& [kind, name] : registration_commands) {
    table.add(std::string(name), [this, kind = kind, name = name](const at_command& command) {
      return registration(command, kind, name);
    });
  }
  table.add("+COPS", [this](const at_command& command) {
    switch (command.kind) {
      case form::read:
        if (!state_.radio_on()) return command_result::ok({"+COPS: 0"});
        return command_result::ok({"+COPS: 0,0," + apca::quote_at_string(operator_name) + "," +
                                   std::to_string(access_technology_lte)});
      case form::test:
        return command_result::ok({"+COPS: (2,\"CHINA MOBILE\",\"CMCC\",\"46000\",7),,(0-4),(0-2)"});
      case form::set: {
        auto args = parse_at_args(command.args);
        if (!args || int_arg(*args, 0, 0, 0) != 0) return command_result::cme(3);  // automatic selection only
        return command_result::ok();
      }
      default: return command_result::error();
    }
  });
  table.add("+CCLK", bind(&modem_commands::clock));
  table.add("+CFUN", bind(&modem_commands::functionality));
  table.add("+CRESET", [this](const at_command& command) {
    if (command.kind == form::test) return command_result::ok();
    if (command.kind != form::action) return command_result::error();
    ports_.request_reboot();
    return command_result::ok();
  });
  table.add("+CGDCONT", bind(&modem_commands::define_context));
  table.add("+CAPNET", bind(&modem_commands::data_call));
  table.add("+CHTTPSERV", bind(&modem_commands::time_servers));
  table.add("+CHTTPUPDATE", bind(&modem_commands::update_clock));
}

command_result modem_commands::identification(const at_command& command) const {
  std::string revision = module_revision(ports_.firmware_version());
  if (command.name == "I") {
    if (command.kind != form::action || (!command.args.empty() && command.args != "0")) {
      return command_result::error();
    }
    return command_result::ok({"Manufacturer: " + identity_.manufacturer, "Model: " + identity_.model,
                               "Revision: " + revision, "IMEI: " + identity_.imei, "+GCAP: +CGSM"});
  }
  if (command.name == "+SIMCOMATI") {
    return fixed_answer(command, form::action,
                        {"Manufacturer: " + identity_.manufacturer, "Model: " + identity_.model,
                         "Revision: " + revision, "QCN: ", "IMEI: " + identity_.imei, "MEID: ", "+GCAP: +CGSM",
                         "DeviceInfo: 173,170"});
  }
  std::string line;
  if (command.name == "+CGMI") line = identity_.manufacturer;
  if (command.name == "+CGMM") line = identity_.model;
  if (command.name == "+CGMR") line = "+CGMR: " + revision;
  if (command.name == "+CGSN") line = identity_.imei;
  if (command.name == "+CIMI") line = identity_.imsi;
  if (command.name == "+CICCID") line = "+ICCID: " + identity_.iccid;
  return fixed_answer(command, form::action, {line});
}

std::string modem_commands::registration_fields(modem_state::registration_kind kind) const {
  int stat = state_.registration_status();
  std::string fields = std::to_string(stat);
  if (state_.registration_mode(kind) == 2 && stat == 1) {
    fields += ",";
    fields += serving_area;
    if (kind == modem_state::registration_kind::eps) fields += "," + std::to_string(access_technology_lte);
  }
  return fields;
}

command_result modem_commands::registration(const at_command& command, modem_state::registration_kind kind,
                                            std::string_view name) {
  std::string prefix = std::string(name) + ": ";
  switch (command.kind) {
    case form::read:
      return command_result::ok(
          {prefix + std::to_string(state_.registration_mode(kind)) + "," + registration_fields(kind)});
    case form::test: return command_result::ok({prefix + "(0-2)"});
    case form::set: {
      auto args = parse_at_args(command.args);
      auto n = args ? int_arg(*args, 0, 0, 2) : std::nullopt;
      if (!n || args->size() != 1) return command_result::error();
      state_.set_registration_mode(kind, *n);
      return command_result::ok();
    }
    default: return command_result::error();
  }
}

void modem_commands::report_registration() {
  for (const auto& [kind, name] : registration_commands) {
    if (state_.registration_mode(kind) >= 1) ports_.post_urc(std::string(name) + ": " + registration_fields(kind));
  }
}

command_result modem_commands::clock(const at_command& command) const {
  return fixed_answer(command, form::read, {"+CCLK: \"" + cclk_time(ports_.clock.unix_seconds()) + "\""});
}

command_result modem_commands::functionality(const at_command& command) {
  switch (command.kind) {
    case form::read: return command_result::ok({"+CFUN: " + std::to_string(state_.functionality())});
    case form::test: return command_result::ok({"+CFUN: (0,1,4),(0-1)"});
    case form::set: {
      auto args = parse_at_args(command.args);
      if (!args || args->empty() || args->size() > 2) return command_result::error();
      auto fun = int_arg(*args, 0, 0, 4);
      auto reset = args->size() == 2 ? int_arg(*args, 1, 0, 1) : std::optional<int>(0);
      if (!fun || *fun == 2 || *fun == 3 || !reset) return command_result::error();
      if (*reset == 1) {
        if (*fun != 1) return command_result::error();  // 27.007: reset only into full functionality
        ports_.request_reboot();
        return command_result::ok();
      }
      int was_registered = state_.registration_status();
      state_.set_functionality(*fun);
      if (!state_.dialling()) ports_.timers.cancel_timer(apca::timer_id::data_call);
      // With AT+CREG=1|2 (and the GPRS/EPS forms) a registration change is reported as a URC.
      if (state_.registration_status() != was_registered) report_registration();
      return command_result::ok();
    }
    default: return command_result::error();
  }
}

command_result modem_commands::define_context(const at_command& command) {
  switch (command.kind) {
    case form::read: {
      std::vector<std::string> lines;
      for (const auto& [cid, context] : state_.contexts()) {
        lines.push_back("+CGDCONT: " + std::to_string(cid) + "," + apca::quote_at_string(context.type) + "," +
                        apca::quote_at_string(context.apn) + ",\"0.0.0.0\",0,0");
      }
      return command_result::ok(std::move(lines));
    }
    case form::test: {
      std::vector<std::string> lines;
      for (const char* type : {"IP", "PPP", "IPV6", "IPV4V6"}) {
        lines.push_back("+CGDCONT: (1-24),\"" + std::string(type) + "\",,,(0-2),(0-4)");
      }
      return command_result::ok(std::move(lines));
    }
    case form::set: {
      auto args = parse_at_args(command.args);
      if (!args) return command_result::error();
      auto cid = int_arg(*args, 0, modem_state::min_cid, modem_state::max_cid);
      if (!cid) return command_result::error();
      if (args->size() == 1) {  // AT+CGDCONT=<cid> undefines the context
        return state_.undefine_context(*cid) ? command_result::ok() : command_result::error();
      }
      std::string type = upper_ascii((*args)[1].value);
      if (!modem_state::valid_pdp_type(type)) return command_result::error();
      std::string apn = args->size() > 2 ? (*args)[2].value : "";
      return state_.define_context(*cid, type, apn) ? command_result::ok() : command_result::error();
    }
    default: return command_result::error();
  }
}

command_result modem_commands::data_call(const at_command& command) {
  switch (command.kind) {
    case form::read: {
      std::vector<std::string> lines;
      for (const auto& [cid, context] : state_.contexts()) {
        bool up = context.state == pdp_context::call::up;
        lines.push_back("+CAPNET: " + std::to_string(cid) + "," + (up ? "1" : "0"));
      }
      return command_result::ok(std::move(lines));
    }
    case form::test: return command_result::ok({"+CAPNET: (1-24),(0-1)"});
    case form::set: {
      auto args = parse_at_args(command.args);
      if (!args || args->size() != 2) return command_result::error();
      auto cid = int_arg(*args, 0, modem_state::min_cid, modem_state::max_cid);
      auto up = int_arg(*args, 1, 0, 1);
      if (!cid || !up) return command_result::error();
      std::string urc_prefix = "+CAPNET: " + std::to_string(*cid) + ",";
      if (*up == 0) {
        if (!state_.hang_up(*cid)) return command_result::error();
        if (!state_.dialling()) ports_.timers.cancel_timer(apca::timer_id::data_call);
        ports_.post_urc(urc_prefix + "0");
        return command_result::ok();
      }
      bool was_dialling = state_.dialling();
      switch (state_.dial(*cid)) {
        case modem_state::dial_outcome::no_context:
        case modem_state::dial_outcome::radio_off: return command_result::error();
        case modem_state::dial_outcome::already_up: ports_.post_urc(urc_prefix + "1"); break;
        case modem_state::dial_outcome::dialling:
          if (!was_dialling) ports_.timers.start_timer(apca::timer_id::data_call, dial_delay);
          break;
      }
      return command_result::ok();
    }
    default: return command_result::error();
  }
}

command_result modem_commands::time_servers(const at_command& command) {
  switch (command.kind) {
    case form::read: {
      std::vector<std::string> lines;
      for (const auto& server : state_.time_servers()) {
        lines.push_back("+CHTTPSERV: " + apca::quote_at_string(server.host) + "," + std::to_string(server.port) +
                        "," + std::to_string(server.kind));
      }
      return command_result::ok(std::move(lines));
    }
    case form::test: return command_result::ok({"+CHTTPSERV: (\"ADD\",\"DEL\"),,(1-65535),(0-1)"});
    case form::set: {
      auto args = parse_at_args(command.args);
      if (!args || args->size() < 2 || (*args)[1].value.empty()) return command_result::error();
      std::string operation = upper_ascii((*args)[0].value);
      const std::string& host = (*args)[1].value;
      if (operation == "DEL" && args->size() == 2) {
        return state_.remove_time_server(host) ? command_result::ok() : command_result::error();
      }
      if (operation != "ADD" || args->size() > 4) return command_result::error();
      auto port = int_arg(*args, 2, 1, 65535);
      auto kind = args->size() == 4 ? int_arg(*args, 3, 0, 1) : std::optional<int>(1);
      if (!port || !kind) return command_result::error();
      return state_.add_time_server({host, *port, *kind}) ? command_result::ok() : command_result::error();
    }
    default: return command_result::error();
  }
}

command_result modem_commands::update_clock(const at_command& command) {
  if (command.kind == form::test) return command_result::ok();
  if (command.kind != form::action || clock_sync_pending_) return command_result::error();
  clock_sync_pending_ = true;
  ports_.timers.start_timer(apca::timer_id::clock_sync, clock_sync_delay);
  return command_result::ok();
}

bool modem_commands::on_timer(apca::timer_id id) {
  if (id == apca::timer_id::data_call) {
    if (auto cid = state_.finish_dial()) ports_.post_urc("+CAPNET: " + std::to_string(*cid) + ",1");
    if (state_.dialling()) ports_.timers.start_timer(apca::timer_id::data_call, dial_delay);
    return true;
  }
  if (id == apca::timer_id::clock_sync) {
    if (!clock_sync_pending_) return true;
    clock_sync_pending_ = false;
    // Decided when the sync would really end: the data call may have dropped meanwhile.
    if (state_.can_sync_clock()) {
      state_.set_clock_synced(true);
      ports_.clock_synced(true);
      ports_.post_urc("+CHTTPUPDATE: 0");
    } else {
      ports_.post_urc("+CHTTPUPDATE: " + std::to_string(clock_sync_failed));
    }
    return true;
  }
  return false;
}

void modem_commands::power_cycle() {
  clock_sync_pending_ = false;
  ports_.timers.cancel_timer(apca::timer_id::data_call);
  ports_.timers.cancel_timer(apca::timer_id::clock_sync);
}

}  // namespace agent
