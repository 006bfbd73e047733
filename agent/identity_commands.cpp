// Identification: ATI, AT+SIMCOMATI, the 27.007 AT+CGMI/CGMM/CGMR/CGSN and their V.250 twins AT+GMI/GMM/GMR/GSN,
// AT+CIMI, AT+CICCID and AT+CNUM (the last three read the SIM).
#include <utility>

#include "agent/modem_commands.hpp"

namespace agent {

void modem_commands::add_identity_commands(command_table& table) {
  auto revision = [this] { return module_revision(ports_.firmware_version()); };
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
  // The test forms answer OK alone, as the SIM7600 does.
  for (auto [name, line] : {std::pair{"+CGMI", identity_.manufacturer}, {"+GMI", identity_.manufacturer},
                            {"+CGMM", identity_.model}, {"+GMM", identity_.model}, {"+CGSN", identity_.imei},
                            {"+GSN", identity_.imei}}) {
    table.add({.name = name, .test = answer_ok(), .action = answer({line})});
  }
  table.add({.name = "+CGMR",
             .test = answer_ok(),
             .action = [revision] { return command_result::ok({"+CGMR: " + revision()}); }});
  table.add({.name = "+GMR", .test = answer_ok(), .action = [revision] { return command_result::ok({revision()}); }});

  // What the SIM holds: the SIM's error while it cannot answer (the ICCID is readable before the PIN).
  auto from_sim = [this](std::string line, bool before_pin) {
    return [this, line = std::move(line), before_pin] {
      auto code = sim_unusable();
      if (code && !(before_pin && (*code == 11 || *code == 12))) return command_result::cme(*code);
      return command_result::ok({line});
    };
  };
  table.add({.name = "+CIMI", .test = answer_ok(), .action = from_sim(identity_.imsi, false)});
  table.add({.name = "+CICCID", .test = answer_ok(), .action = from_sim("+ICCID: " + identity_.iccid, true)});
  table.add({.name = "+CNUM",
             .test = answer_ok(),
             .action = from_sim("+CNUM: \"\",\"" + identity_.msisdn + "\",129", false)});
}

}  // namespace agent
