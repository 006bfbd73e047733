// Identification: ATI, AT+SIMCOMATI, the 27.007 AT+CGMI/CGMM/CGMR/CGSN and their V.250 twins AT+GMI/GMM/GMR/GSN,
// AT+CIMI, AT+CICCID and AT+CNUM (the last three read the SIM).
#include <utility>

#include "agent/modem_commands.hpp"

namespace agent {
namespace {

std::string revision(const modem_context& modem) { return module_revision(modem.ports.firmware_version()); }

command_result run_ati(modem_context& modem) {
  const module_identity& id = modem.identity;
  return command_result::ok({"Manufacturer: " + id.manufacturer, "Model: " + id.model, "Revision: " + revision(modem),
                             "IMEI: " + id.imei, "+GCAP: +CGSM"});
}

command_result run_simcomati(modem_context& modem) {
  const module_identity& id = modem.identity;
  return command_result::ok({"Manufacturer: " + id.manufacturer, "Model: " + id.model, "Revision: " + revision(modem),
                             "QCN: ", "IMEI: " + id.imei, "MEID: ", "+GCAP: +CGSM", "DeviceInfo: 173,170"});
}

command_result run_cgmr(modem_context& modem) { return command_result::ok({"+CGMR: " + revision(modem)}); }
command_result run_gmr(modem_context& modem) { return command_result::ok({revision(modem)}); }

// What the SIM holds: the SIM's error while it cannot answer (the ICCID is readable before the PIN).
form_answer from_sim(modem_context& modem, std::string line, bool before_pin) {
  return [&modem, line = std::move(line), before_pin] {
    auto code = modem.sim_unusable();
    if (code && !(before_pin && (*code == 11 || *code == 12))) return command_result::cme(*code);
    return command_result::ok({line});
  };
}

}  // namespace

void add_identity_commands(command_table& table, modem_context& modem) {
  const module_identity& id = modem.identity;
  table.add({.name = "I", .action = handler(modem, run_ati), .action_args = {optional(integer(0, 0))}});
  table.add({.name = "+SIMCOMATI", .test = answer_ok(), .action = handler(modem, run_simcomati)});
  // The test forms answer OK alone, as the SIM7600 does.
  for (auto [name, line] : {std::pair{"+CGMI", id.manufacturer}, {"+GMI", id.manufacturer}, {"+CGMM", id.model},
                            {"+GMM", id.model}, {"+CGSN", id.imei}, {"+GSN", id.imei}}) {
    table.add({.name = name, .test = answer_ok(), .action = answer({line})});
  }
  table.add({.name = "+CGMR", .test = answer_ok(), .action = handler(modem, run_cgmr)});
  table.add({.name = "+GMR", .test = answer_ok(), .action = handler(modem, run_gmr)});
  table.add({.name = "+CIMI", .test = answer_ok(), .action = from_sim(modem, id.imsi, false)});
  table.add({.name = "+CICCID", .test = answer_ok(), .action = from_sim(modem, "+ICCID: " + id.iccid, true)});
  table.add({.name = "+CNUM",
             .test = answer_ok(),
             .action = from_sim(modem, "+CNUM: \"\",\"" + id.msisdn + "\",129", false)});
}

}  // namespace agent
