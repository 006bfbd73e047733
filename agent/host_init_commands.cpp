// What host stacks (gammu, comgt, TinyGSM) send at init beyond identification: AT+CSCS (character set),
// AT+CPBS / AT+CPBR (phonebook storage, an empty phonebook), AT+CLIP / AT+CRC / AT+CCWA / AT+CUSD / AT+CHUP
// (call and USSD settings of a module that never carries a call).
#include <vector>

#include "agent/modem_commands.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

const std::vector<std::string> character_sets{"IRA", "GSM", "UCS2"};
const std::vector<std::string> phonebooks{"SM", "FD", "ON", "LD", "MC", "RC", "EN", "DC", "ME"};

// The entries of a phonebook: the SIM's 250, 100 for the module's lists.
int phonebook_capacity(const std::string& phonebook) { return phonebook == "SM" ? 250 : 100; }

}  // namespace

void modem_commands::add_host_init_commands(command_table& table) {
  table.add({.name = "+CSCS",
             .test = answer({"+CSCS: " + quoted_word_list(character_sets)}),
             .read = [this] { return command_result::ok({"+CSCS: " + apca::quote_at_string(character_set_)}); },
             .set =
                 [this](const at_params& params) {
                   character_set_ = params.text(0);
                   return command_result::ok();
                 },
             .set_args = {word(character_sets)}});
  table.add({.name = "+CPBS",
             .test = answer({"+CPBS: " + quoted_word_list(phonebooks)}),
             .read =
                 [this] {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   return command_result::ok({"+CPBS: " + apca::quote_at_string(phonebook_) + ",0," +
                                              std::to_string(phonebook_capacity(phonebook_))});
                 },
             .set =
                 [this](const at_params& params) {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   phonebook_ = params.text(0);
                   return command_result::ok();
                 },
             .set_args = {word(phonebooks)}});
  // The phonebook is empty: a read of any valid range lists nothing.
  table.add({.name = "+CPBR",
             .test =
                 [this] {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   return command_result::ok(
                       {"+CPBR: (1-" + std::to_string(phonebook_capacity(phonebook_)) + "),40,14"});
                 },
             .set =
                 [this](const at_params& params) {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   const int last = params.integer(1, params.integer(0));
                   if (last < params.integer(0) || last > phonebook_capacity(phonebook_)) return command_result::cme(21);
                   return command_result::ok();
                 },
             .set_args = {integer(1, 250), optional(integer(1, 250))}});
  table.add({.name = "+CLIP",
             .test = answer({"+CLIP: (0-1)"}),
             .read = [this] { return command_result::ok({"+CLIP: " + std::to_string(calling_line_reports_) + ",1"}); },
             .set =
                 [this](const at_params& params) {
                   calling_line_reports_ = params.integer(0);
                   return command_result::ok();
                 },
             .set_args = {integer(0, 1)}});
  table.add({.name = "+CRC",
             .test = answer({"+CRC: (0-1)"}),
             .read = [this] { return command_result::ok({"+CRC: " + std::to_string(cellular_result_codes_)}); },
             .set =
                 [this](const at_params& params) {
                   cellular_result_codes_ = params.integer(0, 0);
                   return command_result::ok();
                 },
             .set_args = {optional(integer(0, 1))}});
  table.add({.name = "+CCWA",
             .test = answer({"+CCWA: (0-1)"}),
             .read = [this] { return command_result::ok({"+CCWA: " + std::to_string(call_waiting_reports_)}); },
             .set =
                 [this](const at_params& params) {
                   call_waiting_reports_ = params.integer(0, 0);
                   // A query (<mode> 2) finds call waiting off for every class (7: voice, data, fax).
                   if (params.integer(1) == 2) return command_result::ok({"+CCWA: 0,7"});
                   return command_result::ok();
                 },
             .set_args = {optional(integer(0, 1)), optional(integer(0, 2)), optional(integer(1, 255))}});
  table.add({.name = "+CUSD",
             .test = answer({"+CUSD: (0-2)"}),
             .read = [this] { return command_result::ok({"+CUSD: " + std::to_string(ussd_reports_)}); },
             .set =
                 [this](const at_params& params) {
                   if (params.has(1)) return command_result::cme(30);  // no network answers USSD here
                   ussd_reports_ = params.integer(0);
                   return command_result::ok();
                 },
             .set_args = {integer(0, 2), optional(text(160)), optional(integer(0, 255))}});
  table.add({.name = "+CHUP", .test = answer_ok(), .action = answer_ok()});  // no call to hang up
}

}  // namespace agent
