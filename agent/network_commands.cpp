// The radio and the network: AT+CFUN, AT+CREG/CGREG/CEREG, AT+COPS, AT+CSPN, AT+CSQ, AT+CPSI, AT+CNMP, AT+CNSMOD.
#include <vector>

#include "agent/modem_commands.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

// The AT+CNMP modes of the SIM7600 (2 automatic, 13 GSM only, 14 WCDMA only, 38 LTE only, and combinations).
const std::vector<long> network_modes{2, 9, 10, 13, 14, 19, 22, 38, 39, 48, 51, 54, 59, 60, 63, 67};

// "460-00" from "46000": MCC, a dash, MNC.
std::string mcc_mnc(const std::string& numeric) { return numeric.substr(0, 3) + "-" + numeric.substr(3); }

// The operator as AT+COPS <format> names it: 0 long, 1 short, 2 numeric.
std::string operator_name(const network_operator& op, int format) {
  return apca::quote_at_string(format == 0 ? op.long_name : format == 1 ? op.short_name : op.numeric);
}

// AT+CPSI? for the serving system: the manual's field order, with the signal from AT+CSQ (<rssi> 0-31 is
// -113 dBm + 2 dBm a step; the LTE figures are in tenths of a dB).
std::string serving_system(const radio_world& world) {
  if (world.radio() != radio_mode::full) return "+CPSI: NO SERVICE,Low Power Mode";
  const int mode = world.system_mode();
  if (mode == 0) return "+CPSI: NO SERVICE,Online";
  const std::string plmn = mcc_mnc(world.current_operator().numeric);
  const int dbm = -113 + 2 * world.rssi();
  if (mode == 1) return "+CPSI: GSM,Online," + plmn + ",0x1816,3243,16 EGSM 900," + std::to_string(dbm) + ",0,40-40";
  if (mode == 4) {
    return "+CPSI: WCDMA,Online," + plmn + ",0x1816,203106819,WCDMA IMT 2000,278,10688,0,1.5," +
           std::to_string(dbm) + ",-5,20,17,8";
  }
  return "+CPSI: LTE,Online," + plmn + ",0x1816,203106819,266,EUTRAN-BAND3,1300,5,5,-94," +
         std::to_string((dbm - 30) * 10) + "," + std::to_string(dbm * 10) + ",14";
}

}  // namespace

void modem_commands::add_network_commands(command_table& table) {
  table.add({.name = "+CFUN",
             .test = answer({"+CFUN: (0,1,4),(0-1)"}),
             .read = [this] { return command_result::ok({"+CFUN: " + std::to_string(static_cast<int>(world_.radio()))}); },
             .set = [this](const at_params& params) { return set_functionality(params.integer(0), params.integer(1)); },
             .set_args = {integer_of({0, 1, 4}), optional(integer(0, 1))}});
  table.add(registration_row(reg_domain::cs, "+CREG"));
  table.add(registration_row(reg_domain::gprs, "+CGREG"));
  table.add(registration_row(reg_domain::eps, "+CEREG"));
  table.add({.name = "+COPS",
             .test =
                 [this] {
                   std::string line = "+COPS: ";
                   for (const auto& op : world_.available_operators()) {
                     bool current = op == world_.current_operator() && world_.registered(reg_domain::eps);
                     line += "(" + std::string(current ? "2" : "1") + "," + apca::quote_at_string(op.long_name) + "," +
                             apca::quote_at_string(op.short_name) + "," + apca::quote_at_string(op.numeric) + "," +
                             std::to_string(op.act) + "),";
                   }
                   return command_result::ok({line + ",(0-4),(0-2)"});
                 },
             .read =
                 [this] {
                   std::string mode = std::to_string(world_.operator_mode());
                   if (!world_.registered(reg_domain::cs) && !world_.registered(reg_domain::eps)) {
                     return command_result::ok({"+COPS: " + mode});
                   }
                   const auto& op = world_.current_operator();
                   return command_result::ok({"+COPS: " + mode + "," + std::to_string(world_.operator_format()) + "," +
                                              operator_name(op, world_.operator_format()) + "," +
                                              std::to_string(op.act)});
                 },
             .set = [this](const at_params& params) { return set_operator(params); },
             .set_args = {integer(0, 4), optional(integer(0, 2)), optional(text()), optional(integer(0, 7))}});
  table.add({.name = "+CSPN",
             .test = answer_ok(),
             .read =
                 [this] {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   return command_result::ok(
                       {"+CSPN: " + apca::quote_at_string(world_.current_operator().long_name) + ",0"});
                 }});
  table.add({.name = "+CSQ",
             .test = answer({"+CSQ: (0-31,99),(0-7,99)"}),
             .action = [this] {
               return command_result::ok({"+CSQ: " + std::to_string(world_.rssi()) + "," + std::to_string(world_.ber())});
             }});
  table.add({.name = "+CPSI",
             .test = answer({"+CPSI: (0-255)"}),
             .read = [this] { return command_result::ok({serving_system(world_)}); },
             .set = answer_ok(),  // periodic reports are not emulated; 0 (off) is all a host needs
             .set_args = {integer(0, 0)}});
  std::string modes;
  for (long mode : network_modes) modes += (modes.empty() ? "" : ",") + std::to_string(mode);
  table.add({.name = "+CNMP",
             .test = answer({"+CNMP: (" + modes + ")"}),
             .read = [this] { return command_result::ok({"+CNMP: " + std::to_string(world_.network_mode())}); },
             .set =
                 [this](const at_params& params) {
                   post(world_.set_network_mode(params.integer(0)));
                   return command_result::ok();
                 },
             .set_args = {integer_of(network_modes)}});
  table.add({.name = "+CNSMOD",
             .test = answer({"+CNSMOD: (0-1)"}),
             .read =
                 [this] {
                   return command_result::ok({"+CNSMOD: " + std::to_string(world_.system_mode_reports()) + "," +
                                              std::to_string(world_.system_mode())});
                 },
             .set =
                 [this](const at_params& params) {
                   world_.set_system_mode_reports(params.integer(0));
                   return command_result::ok();
                 },
             .set_args = {integer(0, 1)}});
}

command_row modem_commands::registration_row(reg_domain domain, std::string_view name) {
  std::string prefix = std::string(name) + ": ";
  return {.name = std::string(name),
          .test = answer({prefix + "(0-2)"}),
          .read =
              [this, domain, prefix] {
                return command_result::ok(
                    {prefix + std::to_string(world_.report_mode(domain)) + "," + world_.registration_fields(domain)});
              },
          .set =
              [this, domain](const at_params& params) {
                world_.set_report_mode(domain, params.integer(0));
                return command_result::ok();
              },
          .set_args = {integer(0, 2)}};
}

command_result modem_commands::set_functionality(int functionality, int reset) {
  if (reset == 1) {
    if (functionality != 1) return command_result::error();  // 27.007: reset only into full functionality
    ports_.request_reboot();
    return command_result::ok();
  }
  post(world_.set_radio(static_cast<radio_mode>(functionality)));
  stop_dialling_if_idle();
  return command_result::ok();
}

command_result modem_commands::set_operator(const at_params& params) {
  const int mode = params.integer(0);
  if (params.has(1)) world_.set_operator_format(params.integer(1));
  if (mode == 3) return params.has(1) ? command_result::ok() : command_result::error();  // format only
  if ((mode == 1 || mode == 4) && !params.has(2)) return command_result::error();
  world_effects effects;
  if (!world_.select_operator(mode, params.text(2), effects)) return command_result::cme(30);  // no such network
  post(effects);
  stop_dialling_if_idle();
  return command_result::ok();
}

}  // namespace agent
