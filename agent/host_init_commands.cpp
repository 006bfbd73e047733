// What host stacks (gammu, comgt, TinyGSM) send at init beyond identification: AT+CSCS (character set),
// AT+CPBS / AT+CPBR (phonebook storage, an empty phonebook), AT+CCWA (call waiting, never offered here). The
// voice call's commands are in call_commands.cpp, AT+CUSD in ussd_commands.cpp.
#include <vector>

#include "agent/modem_commands.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

const std::vector<std::string> character_sets{"IRA", "GSM", "UCS2"};
const std::vector<std::string> phonebooks{"SM", "FD", "ON", "LD", "MC", "RC", "EN", "DC", "ME"};

// The entries of a phonebook: the SIM's 250, 100 for the module's lists.
int phonebook_capacity(const std::string& phonebook) { return phonebook == "SM" ? 250 : 100; }

command_result read_cscs(modem_context& modem) {
  return command_result::ok({"+CSCS: " + apca::quote_at_string(modem.host_init.character_set)});
}

command_result set_cscs(modem_context& modem, const at_params& params) {
  modem.host_init.character_set = params.text(0);
  return command_result::ok();
}

command_result read_cpbs(modem_context& modem) {
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  const std::string& phonebook = modem.host_init.phonebook;
  return command_result::ok(
      {"+CPBS: " + apca::quote_at_string(phonebook) + ",0," + std::to_string(phonebook_capacity(phonebook))});
}

command_result set_cpbs(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  modem.host_init.phonebook = params.text(0);
  return command_result::ok();
}

command_result test_cpbr(modem_context& modem) {
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  return command_result::ok({"+CPBR: (1-" + std::to_string(phonebook_capacity(modem.host_init.phonebook)) + "),40,14"});
}

// The phonebook is empty: a read of any valid range lists nothing.
command_result set_cpbr(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  const int last = params.integer(1, params.integer(0));
  if (last < params.integer(0) || last > phonebook_capacity(modem.host_init.phonebook)) return command_result::cme(21);
  return command_result::ok();
}

command_result read_ccwa(modem_context& modem) {
  return command_result::ok({"+CCWA: " + std::to_string(modem.host_init.call_waiting_reports)});
}

command_result set_ccwa(modem_context& modem, const at_params& params) {
  modem.host_init.call_waiting_reports = params.integer(0, 0);
  // A query (<mode> 2) finds call waiting off for every class (7: voice, data, fax).
  if (params.integer(1) == 2) return command_result::ok({"+CCWA: 0,7"});
  return command_result::ok();
}

}  // namespace

void add_host_init_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CSCS",
             .test = answer({"+CSCS: " + quoted_word_list(character_sets)}),
             .read = handler(modem, read_cscs),
             .set = handler(modem, set_cscs),
             .set_args = {word(character_sets)}});
  table.add({.name = "+CPBS",
             .test = answer({"+CPBS: " + quoted_word_list(phonebooks)}),
             .read = handler(modem, read_cpbs),
             .set = handler(modem, set_cpbs),
             .set_args = {word(phonebooks)}});
  table.add({.name = "+CPBR",
             .test = handler(modem, test_cpbr),
             .set = handler(modem, set_cpbr),
             .set_args = {integer(1, 250), optional(integer(1, 250))}});
  table.add({.name = "+CCWA",
             .test = answer({"+CCWA: (0-1)"}),
             .read = handler(modem, read_ccwa),
             .set = handler(modem, set_ccwa),
             .set_args = {optional(integer(0, 1)), optional(integer(0, 2)), optional(integer(1, 255))}});
}

}  // namespace agent
