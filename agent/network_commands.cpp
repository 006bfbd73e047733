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

command_result read_cfun(modem_context& modem) {
  return command_result::ok({"+CFUN: " + std::to_string(static_cast<int>(modem.world.radio()))});
}

command_result set_cfun(modem_context& modem, const at_params& params) {
  const int functionality = params.integer(0);
  if (params.integer(1) == 1) {
    if (functionality != 1) return command_result::error();  // 27.007: reset only into full functionality
    modem.ports.request_reboot();
    return command_result::ok();
  }
  modem.post(modem.world.set_radio(static_cast<radio_mode>(functionality)));
  modem.stop_dialling_if_idle();
  return command_result::ok();
}

// AT+CREG / AT+CGREG / AT+CEREG: one row shape, three domains.
command_row registration_row(modem_context& modem, reg_domain domain, std::string_view name) {
  std::string prefix = std::string(name) + ": ";
  return {.name = std::string(name),
          .test = answer({prefix + "(0-2)"}),
          .read =
              [&modem, domain, prefix] {
                radio_world& world = modem.world;
                return command_result::ok(
                    {prefix + std::to_string(world.report_mode(domain)) + "," + world.registration_fields(domain)});
              },
          .set =
              [&modem, domain](const at_params& params) {
                modem.world.set_report_mode(domain, params.integer(0));
                return command_result::ok();
              },
          .set_args = {integer(0, 2)}};
}

command_result test_cops(modem_context& modem) {
  const radio_world& world = modem.world;
  std::string line = "+COPS: ";
  for (const auto& op : world.available_operators()) {
    bool current = op == world.current_operator() && world.registered(reg_domain::eps);
    line += "(" + std::string(current ? "2" : "1") + "," + apca::quote_at_string(op.long_name) + "," +
            apca::quote_at_string(op.short_name) + "," + apca::quote_at_string(op.numeric) + "," +
            std::to_string(op.act) + "),";
  }
  return command_result::ok({line + ",(0-4),(0-2)"});
}

command_result read_cops(modem_context& modem) {
  const radio_world& world = modem.world;
  std::string mode = std::to_string(world.operator_mode());
  if (!world.registered(reg_domain::cs) && !world.registered(reg_domain::eps)) {
    return command_result::ok({"+COPS: " + mode});
  }
  const auto& op = world.current_operator();
  return command_result::ok({"+COPS: " + mode + "," + std::to_string(world.operator_format()) + "," +
                             operator_name(op, world.operator_format()) + "," + std::to_string(op.act)});
}

command_result set_cops(modem_context& modem, const at_params& params) {
  radio_world& world = modem.world;
  const int mode = params.integer(0);
  if (params.has(1)) world.set_operator_format(params.integer(1));
  if (mode == 3) return params.has(1) ? command_result::ok() : command_result::error();  // format only
  if ((mode == 1 || mode == 4) && !params.has(2)) return command_result::error();
  world_effects effects;
  if (!world.select_operator(mode, params.text(2), effects)) return command_result::cme(30);  // no such network
  modem.post(effects);
  modem.stop_dialling_if_idle();
  return command_result::ok();
}

command_result read_cspn(modem_context& modem) {
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  return command_result::ok({"+CSPN: " + apca::quote_at_string(modem.world.current_operator().long_name) + ",0"});
}

command_result run_csq(modem_context& modem) {
  return command_result::ok({"+CSQ: " + std::to_string(modem.world.rssi()) + "," + std::to_string(modem.world.ber())});
}

command_result read_cpsi(modem_context& modem) { return command_result::ok({serving_system(modem.world)}); }

command_result read_cnmp(modem_context& modem) {
  return command_result::ok({"+CNMP: " + std::to_string(modem.world.network_mode())});
}

command_result set_cnmp(modem_context& modem, const at_params& params) {
  modem.post(modem.world.set_network_mode(params.integer(0)));
  return command_result::ok();
}

command_result read_cnsmod(modem_context& modem) {
  return command_result::ok({"+CNSMOD: " + std::to_string(modem.world.system_mode_reports()) + "," +
                             std::to_string(modem.world.system_mode())});
}

command_result set_cnsmod(modem_context& modem, const at_params& params) {
  modem.world.set_system_mode_reports(params.integer(0));
  return command_result::ok();
}

// "(2,9,10,...)": the AT+CNMP modes as its test form lists them.
std::string network_mode_list() {
  std::string modes;
  for (long mode : network_modes) modes += (modes.empty() ? "" : ",") + std::to_string(mode);
  return "(" + modes + ")";
}

}  // namespace

void add_network_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CFUN",
             .test = answer({"+CFUN: (0,1,4),(0-1)"}),
             .read = handler(modem, read_cfun),
             .set = handler(modem, set_cfun),
             .set_args = {integer_of({0, 1, 4}), optional(integer(0, 1))}});
  table.add(registration_row(modem, reg_domain::cs, "+CREG"));
  table.add(registration_row(modem, reg_domain::gprs, "+CGREG"));
  table.add(registration_row(modem, reg_domain::eps, "+CEREG"));
  table.add({.name = "+COPS",
             .test = handler(modem, test_cops),
             .read = handler(modem, read_cops),
             .set = handler(modem, set_cops),
             .set_args = {integer(0, 4), optional(integer(0, 2)), optional(text()), optional(integer(0, 7))}});
  table.add({.name = "+CSPN", .test = answer_ok(), .read = handler(modem, read_cspn)});
  table.add({.name = "+CSQ", .test = answer({"+CSQ: (0-31,99),(0-7,99)"}), .action = handler(modem, run_csq)});
  table.add({.name = "+CPSI",
             .test = answer({"+CPSI: (0-255)"}),
             .read = handler(modem, read_cpsi),
             .set = answer_ok(),  // periodic reports are not emulated; 0 (off) is all a host needs
             .set_args = {integer(0, 0)}});
  table.add({.name = "+CNMP",
             .test = answer({"+CNMP: " + network_mode_list()}),
             .read = handler(modem, read_cnmp),
             .set = handler(modem, set_cnmp),
             .set_args = {integer_of(network_modes)}});
  table.add({.name = "+CNSMOD",
             .test = answer({"+CNSMOD: (0-1)"}),
             .read = handler(modem, read_cnsmod),
             .set = handler(modem, set_cnsmod),
             .set_args = {integer(0, 1)}});
}

}  // namespace agent
