#include "agent/modem_commands.hpp"

#include <cstdio>
#include <utility>
#include <vector>

#include "agent/at_args.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

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
  auto revision = [this] { return module_revision(ports_.firmware_version()); };
  // Identification: the test form answers OK alone, as the SIM7600 does.
  table.add({.name = "I",
             .action =
                 [this, revision] {
                   return command_result::ok({"Manufacturer: " + identity_.manufacturer, "Model: " + identity_.model,
                                              "Revision: " + revision(), "IMEI: " + identity_.imei,
                                              "+GCAP: +CGSM"});
                 },
             .action_args = {optional(integer(0, 0))}});
  table.add({.name = "+SIMCOMATI",
             .test = answer_ok(),
             .action =
                 [this, revision] {
                   return command_result::ok({"Manufacturer: " + identity_.manufacturer, "Model: " + identity_.model,
                                              "Revision: " + revision(), "QCN: ", "IMEI: " + identity_.imei,
                                              "MEID: ", "+GCAP: +CGSM", "DeviceInfo: 173,170"});
                 }});
  for (auto [name, line] : {std::pair{"+CGMI", identity_.manufacturer}, {"+CGMM", identity_.model},
                            {"+CGSN", identity_.imei}, {"+CIMI", identity_.imsi},
                            {"+CICCID", "+ICCID: " + identity_.iccid}}) {
    table.add({.name = name, .test = answer_ok(), .action = answer({line})});
  }
  table.add({.name = "+CGMR",
             .test = answer_ok(),
             .action = [revision] { return command_result::ok({"+CGMR: " + revision()}); }});

  table.add({.name = "+CPIN",
             .test = answer_ok(),
             .read = answer({"+CPIN: READY"}),
             // Entering a PIN when none is asked for is refused.
             .set = [] { return command_result::cme(3); },
             .set_args = {text(), optional(text())}});
  table.add({.name = "+CSQ",
             .test = answer({"+CSQ: (0-31,99),(0-7,99)"}),
             .action = [this] { return command_result::ok({state_.radio_on() ? "+CSQ: 23,99" : "+CSQ: 99,99"}); }});
  for (const auto& [kind, name] : registration_commands) {
    table.add(registration_row(kind, name));
  }
  table.add({.name = "+COPS",
             .test = answer({"+COPS: (2,\"CHINA MOBILE\",\"CMCC\",\"46000\",7),,(0-4),(0-2)"}),
             .read =
                 [this] {
                   if (!state_.radio_on()) return command_result::ok({"+COPS: 0"});
                   return command_result::ok({"+COPS: 0,0," + apca::quote_at_string(operator_name) + "," +
                                              std::to_string(access_technology_lte)});
                 },
             // Automatic selection only.
             .set = [](const at_params& params) {
               return params.integer(0) == 0 ? command_result::ok() : command_result::cme(3);
             },
             .set_args = {integer(0, 4), optional(integer(0, 2)), optional(text()), optional(integer(0, 7))}});
  table.add({.name = "+CCLK",
             .test = answer_ok(),
             .read = [this] {
               return command_result::ok({"+CCLK: \"" + cclk_time(ports_.clock.unix_seconds()) + "\""});
             }});
  table.add({.name = "+CFUN",
             .test = answer({"+CFUN: (0,1,4),(0-1)"}),
             .read = [this] { return command_result::ok({"+CFUN: " + std::to_string(state_.functionality())}); },
             .set = [this](const at_params& params) { return set_functionality(params.integer(0), params.integer(1)); },
             .set_args = {integer_of({0, 1, 4}), optional(integer(0, 1))}});
  table.add({.name = "+CRESET",
             .test = answer_ok(),
             .action =
                 [this] {
                   ports_.request_reboot();
                   return command_result::ok();
                 }});
  table.add({.name = "+CGDCONT",
             .test = [] {
               std::vector<std::string> lines;
               for (const char* type : {"IP", "PPP", "IPV6", "IPV4V6"}) {
                 lines.push_back("+CGDCONT: (1-24),\"" + std::string(type) + "\",,,(0-2),(0-4)");
               }
               return command_result::ok(std::move(lines));
             },
             .read = [this] { return list_contexts(); },
             .set = [this](const at_params& params) { return define_context(params); },
             .set_args = {integer(modem_state::min_cid, modem_state::max_cid), optional(word({"IP", "PPP", "IPV6", "IPV4V6"})),
                          optional(text()), optional(text()), optional(integer(0, 2)), optional(integer(0, 4))}});
  table.add({.name = "+CAPNET",
             .test = answer({"+CAPNET: (1-24),(0-1)"}),
             .read =
                 [this] {
                   std::vector<std::string> lines;
                   for (const auto& [cid, context] : state_.contexts()) {
                     bool up = context.state == pdp_context::call::up;
                     lines.push_back("+CAPNET: " + std::to_string(cid) + "," + (up ? "1" : "0"));
                   }
                   return command_result::ok(std::move(lines));
                 },
             .set = [this](const at_params& params) { return data_call(params.integer(0), params.integer(1) == 1); },
             .set_args = {integer(modem_state::min_cid, modem_state::max_cid), integer(0, 1)}});
  table.add({.name = "+CHTTPSERV",
             .test = answer({"+CHTTPSERV: (\"ADD\",\"DEL\"),,(1-65535),(0-1)"}),
             .read =
                 [this] {
                   std::vector<std::string> lines;
                   for (const auto& server : state_.time_servers()) {
                     lines.push_back("+CHTTPSERV: " + apca::quote_at_string(server.host) + "," +
                                     std::to_string(server.port) + "," + std::to_string(server.kind));
                   }
                   return command_result::ok(std::move(lines));
                 },
             .set = [this](const at_params& params) { return time_servers(params); },
             .set_args = {word({"ADD", "DEL"}), text(), optional(integer(1, 65535)), optional(integer(0, 1))}});
  table.add({.name = "+CHTTPUPDATE", .test = answer_ok(), .action = [this] { return update_clock(); }});
}

command_row modem_commands::registration_row(modem_state::registration_kind kind, std::string_view name) {
  std::string prefix = std::string(name) + ": ";
  return {.name = std::string(name),
          .test = answer({prefix + "(0-2)"}),
          .read =
              [this, kind, prefix] {
                return command_result::ok(
                    {prefix + std::to_string(state_.registration_mode(kind)) + "," + registration_fields(kind)});
              },
          .set =
              [this, kind](const at_params& params) {
                state_.set_registration_mode(kind, params.integer(0));
                return command_result::ok();
              },
          .set_args = {integer(0, 2)}};
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

void modem_commands::report_registration() {
  for (const auto& [kind, name] : registration_commands) {
    if (state_.registration_mode(kind) >= 1) ports_.post_urc(std::string(name) + ": " + registration_fields(kind));
  }
}

command_result modem_commands::set_functionality(int functionality, int reset) {
  if (reset == 1) {
    if (functionality != 1) return command_result::error();  // 27.007: reset only into full functionality
    ports_.request_reboot();
    return command_result::ok();
  }
  int was_registered = state_.registration_status();
  state_.set_functionality(functionality);
  if (!state_.dialling()) ports_.timers.cancel_timer(apca::timer_id::data_call);
  // With AT+CREG=1|2 (and the GPRS/EPS forms) a registration change is reported as a URC.
  if (state_.registration_status() != was_registered) report_registration();
  return command_result::ok();
}

command_result modem_commands::list_contexts() const {
  std::vector<std::string> lines;
  for (const auto& [cid, context] : state_.contexts()) {
    lines.push_back("+CGDCONT: " + std::to_string(cid) + "," + apca::quote_at_string(context.type) + "," +
                    apca::quote_at_string(context.apn) + ",\"0.0.0.0\",0,0");
  }
  return command_result::ok(std::move(lines));
}

command_result modem_commands::define_context(const at_params& params) {
  const int cid = params.integer(0);
  if (params.count() == 1) {  // AT+CGDCONT=<cid> undefines the context
    return state_.undefine_context(cid) ? command_result::ok() : command_result::error();
  }
  if (!params.has(1)) return command_result::error();
  return state_.define_context(cid, params.text(1), params.text(2)) ? command_result::ok() : command_result::error();
}

command_result modem_commands::data_call(int cid, bool up) {
  std::string urc_prefix = "+CAPNET: " + std::to_string(cid) + ",";
  if (!up) {
    if (!state_.hang_up(cid)) return command_result::error();
    if (!state_.dialling()) ports_.timers.cancel_timer(apca::timer_id::data_call);
    ports_.post_urc(urc_prefix + "0");
    return command_result::ok();
  }
  bool was_dialling = state_.dialling();
  switch (state_.dial(cid)) {
    case modem_state::dial_outcome::no_context:
    case modem_state::dial_outcome::radio_off: return command_result::error();
    case modem_state::dial_outcome::already_up: ports_.post_urc(urc_prefix + "1"); break;
    case modem_state::dial_outcome::dialling:
      if (!was_dialling) ports_.timers.start_timer(apca::timer_id::data_call, dial_delay);
      break;
  }
  return command_result::ok();
}

command_result modem_commands::time_servers(const at_params& params) {
  const std::string& host = params.text(1);
  if (host.empty()) return command_result::error();
  if (params.text(0) == "DEL") {
    if (params.count() != 2) return command_result::error();
    return state_.remove_time_server(host) ? command_result::ok() : command_result::error();
  }
  if (!params.has(2)) return command_result::error();
  time_server server{host, params.integer(2), params.integer(3, 1)};
  return state_.add_time_server(std::move(server)) ? command_result::ok() : command_result::error();
}

command_result modem_commands::update_clock() {
  if (clock_sync_pending_) return command_result::error();
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
