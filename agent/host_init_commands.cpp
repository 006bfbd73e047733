// What host stacks (gammu, comgt, TinyGSM) send at init beyond identification: AT+CSCS (character set),
// AT+CPBS (phonebook storage), AT+CNMI / AT+CPMS / AT+CMGF (SMS indications, storages and format).
#include <vector>

#include "agent/modem_commands.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

const std::vector<std::string> character_sets{"IRA", "GSM", "UCS2"};
const std::vector<std::string> phonebooks{"SM", "FD", "ON", "LD", "MC", "RC", "EN", "DC", "ME"};
const std::vector<std::string> sms_storages{"ME", "MT", "SM", "SR"};

// The +CMS ERROR of a SIM that cannot be used, from its +CME ERROR (27.005 §3.2.5: 310 not inserted, 311 PIN,
// 316 PUK, 313 failure).
int sms_sim_error(int cme) { return cme == 12 ? 316 : 300 + cme; }

// '("A","B")': a list of words as test forms print them.
std::string quoted_list(const std::vector<std::string>& words) {
  std::string list;
  for (const auto& word : words) list += (list.empty() ? "" : ",") + apca::quote_at_string(word);
  return "(" + list + ")";
}

// The slots of an SMS storage (the SIM's 30, the module's 23, both for MT); no message is stored yet.
int storage_capacity(const std::string& storage) {
  if (storage == "SM") return 30;
  if (storage == "MT") return 53;
  return 23;
}

}  // namespace

void modem_commands::add_host_init_commands(command_table& table) {
  table.add({.name = "+CSCS",
             .test = answer({"+CSCS: " + quoted_list(character_sets)}),
             .read = [this] { return command_result::ok({"+CSCS: " + apca::quote_at_string(character_set_)}); },
             .set =
                 [this](const at_params& params) {
                   character_set_ = params.text(0);
                   return command_result::ok();
                 },
             .set_args = {word(character_sets)}});
  table.add({.name = "+CPBS",
             .test = answer({"+CPBS: " + quoted_list(phonebooks)}),
             .read =
                 [this] {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   return command_result::ok({"+CPBS: " + apca::quote_at_string(phonebook_) + ",0," +
                                              std::to_string(phonebook_ == "SM" ? 250 : 100)});
                 },
             .set =
                 [this](const at_params& params) {
                   if (auto code = sim_unusable()) return command_result::cme(*code);
                   phonebook_ = params.text(0);
                   return command_result::ok();
                 },
             .set_args = {word(phonebooks)}});

  table.add({.name = "+CNMI",
             .test = answer({"+CNMI: (0-3),(0-3),(0,2),(0-2),(0-1)"}),
             .read =
                 [this] {
                   std::string line = "+CNMI: ";
                   for (std::size_t i = 0; i < sms_.cnmi.size(); ++i) line += (i ? "," : "") + std::to_string(sms_.cnmi[i]);
                   return command_result::ok({line});
                 },
             .set =
                 [this](const at_params& params) {
                   for (std::size_t i = 0; i < sms_.cnmi.size(); ++i) sms_.cnmi[i] = params.integer(i, sms_.cnmi[i]);
                   return command_result::ok();
                 },
             .set_args = {integer(0, 3), optional(integer(0, 3)), optional(integer_of({0, 2})),
                          optional(integer(0, 2)), optional(integer(0, 1))}});
  // +CPMS: <used>,<total> per storage; the read form names them too.
  auto storage_counts = [this](bool with_names) {
    std::string line = "+CPMS: ";
    for (std::size_t i = 0; i < sms_.storages.size(); ++i) {
      if (i) line += ",";
      if (with_names) line += apca::quote_at_string(sms_.storages[i]) + ",";
      line += "0," + std::to_string(storage_capacity(sms_.storages[i]));
    }
    return line;
  };
  table.add({.name = "+CPMS",
             .test = answer({"+CPMS: " + quoted_list(sms_storages) + "," + quoted_list(sms_storages) + "," +
                             quoted_list(sms_storages)}),
             .read =
                 [this, storage_counts] {
                   if (auto code = sim_unusable()) return command_result::cms(sms_sim_error(*code));
                   return command_result::ok({storage_counts(true)});
                 },
             .set =
                 [this, storage_counts](const at_params& params) {
                   if (auto code = sim_unusable()) return command_result::cms(sms_sim_error(*code));
                   for (std::size_t i = 0; i < sms_.storages.size(); ++i) {
                     if (params.has(i)) sms_.storages[i] = params.text(i);
                   }
                   return command_result::ok({storage_counts(false)});
                 },
             .set_args = {word(sms_storages), optional(word(sms_storages)), optional(word(sms_storages))}});
  table.add({.name = "+CMGF",
             .test = answer({"+CMGF: (0-1)"}),
             .read = [this] { return command_result::ok({"+CMGF: " + std::to_string(sms_.format)}); },
             .set =
                 [this](const at_params& params) {
                   sms_.format = params.integer(0, 0);
                   return command_result::ok();
                 },
             .set_args = {optional(integer(0, 1))}});
}

}  // namespace agent
