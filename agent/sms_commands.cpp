// SMS (27.005) in text and PDU mode: AT+CMGF, AT+CSCA, AT+CSMP, AT+CPMS (storages with their real use),
// AT+CNMI (+CMTI / +CMT when a message arrives, radio_world::sms_deliver), AT+CMGS (the "> " body ended by
// Ctrl-Z, cancelled by ESC; the message recorded as sent), AT+CMGR, AT+CMGL, AT+CMGD.
#include <algorithm>
#include <vector>

#include "agent/at_args.hpp"
#include "agent/at_time.hpp"
#include "agent/modem_commands.hpp"
#include "agent/sms_pdu.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

const std::vector<std::string> sms_storages{"ME", "MT", "SM", "SR"};
// Text mode's <stat> words, in the order of PDU mode's numbers, then "ALL" (4).
const std::vector<std::string> status_words{"REC UNREAD", "REC READ", "STO UNSENT", "STO SENT", "ALL"};
constexpr int all_messages = 4;
// A text-mode body longer than one message (160 GSM characters) is refused.
constexpr std::size_t max_text_length = 160;
// The most of a body the module keeps; past it, a body is refused whatever its mode.
constexpr std::size_t max_body = 4096;

constexpr int cms_invalid_pdu = 304;
constexpr int cms_invalid_text = 305;
constexpr int cms_invalid_index = 321;
constexpr int cms_no_network = 331;

std::string type_of_address(const std::string& number) { return !number.empty() && number[0] == '+' ? "145" : "129"; }

// One message as AT+CMGR (index absent) or AT+CMGL (index given) shows it: a header line, then the text or PDU.
std::vector<std::string> message_lines(const sms_settings& settings, const sms_message& message,
                                       std::optional<int> index) {
  const std::string prefix = index ? "+CMGL: " + std::to_string(*index) + "," : "+CMGR: ";
  const int stat = static_cast<int>(message.state);
  if (settings.format == 1) {
    return {prefix + apca::quote_at_string(status_words[stat]) + "," + apca::quote_at_string(message.address) +
                ",\"\",\"" + at_time_text(message.sent_at, message.time_zone) + "\"",
            message.text};
  }
  auto pdu = deliver_pdu(settings.service_centre, message);
  return {prefix + std::to_string(stat) + ",," + std::to_string(pdu.tpdu_length), pdu.hex};
}

command_result read_cmgf(modem_context& modem) {
  return command_result::ok({"+CMGF: " + std::to_string(modem.world.sms().format)});
}

command_result set_cmgf(modem_context& modem, const at_params& params) {
  modem.world.sms().format = params.integer(0, 0);
  return command_result::ok();
}

command_result read_csca(modem_context& modem) {
  const std::string& centre = modem.world.sms().service_centre;
  return command_result::ok({"+CSCA: " + apca::quote_at_string(centre) + "," + type_of_address(centre)});
}

command_result set_csca(modem_context& modem, const at_params& params) {
  modem.world.sms().service_centre = params.text(0);
  return command_result::ok();
}

// +CPMS: <used>,<total> per storage ("MT" is both the SIM's and the module's); the read form names them.
std::string storage_counts(radio_world& world, bool with_names) {
  std::string line = "+CPMS: ";
  const auto& storages = world.sms().storages;
  for (std::size_t i = 0; i < storages.size(); ++i) {
    const bool both = storages[i] == "MT";
    const auto& store = world.sms_storage(storages[i]);
    const int used = store.used() + (both ? world.sms_storage("ME").used() : 0);
    const int total = store.capacity() + (both ? world.sms_storage("ME").capacity() : 0);
    if (i) line += ",";
    if (with_names) line += apca::quote_at_string(storages[i]) + ",";
    line += std::to_string(used) + "," + std::to_string(total);
  }
  return line;
}

command_result read_cpms(modem_context& modem) {
  if (auto code = modem.sim_unusable_for_sms()) return command_result::cms(*code);
  return command_result::ok({storage_counts(modem.world, true)});
}

command_result set_cpms(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable_for_sms()) return command_result::cms(*code);
  auto& storages = modem.world.sms().storages;
  for (std::size_t i = 0; i < storages.size(); ++i) {
    if (params.has(i)) storages[i] = params.text(i);
  }
  return command_result::ok({storage_counts(modem.world, false)});
}

// The body the host typed after "> ", sent to `destination` (text mode) or as a PDU of `pdu_length` octets.
command_result send_sms(modem_context& modem, const std::string& destination, std::optional<int> pdu_length,
                        data_block body) {
  if (body.how == data_block::end::cancelled) return command_result::ok();  // ESC: nothing is sent
  const int refused = pdu_length ? cms_invalid_pdu : cms_invalid_text;
  if (body.how == data_block::end::too_long) return command_result::cms(refused);
  radio_world::sent_sms sent;
  if (pdu_length) {
    auto submit = parse_submit_pdu(body.bytes, *pdu_length);
    if (!submit) return command_result::cms(cms_invalid_pdu);
    sent = {submit->destination, submit->text};
  } else {
    if (body.bytes.size() > max_text_length) return command_result::cms(cms_invalid_text);
    sent = {destination, std::move(body.bytes)};
  }
  modem.world.record_sent(std::move(sent));
  const int reference = modem.world.sms().next_reference;
  modem.world.sms().next_reference = (reference + 1) % 256;
  return command_result::ok({"+CMGS: " + std::to_string(reference)});
}

// AT+CMGS="<da>"[,<toda>] in text mode, AT+CMGS=<length> in PDU mode: the "> " prompt, then the body.
command_result set_cmgs(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable_for_sms()) return command_result::cms(*code);
  if (!modem.world.registered(reg_domain::cs) && !modem.world.registered(reg_domain::eps)) {
    return command_result::cms(cms_no_network);
  }
  std::optional<int> pdu_length;
  if (modem.world.sms().format == 0) {
    auto length = parse_at_number(params.text(0));
    if (!length || *length < 7 || *length > 164) return command_result::cms(cms_invalid_pdu);
    pdu_length = static_cast<int>(*length);
  } else if (params.text(0).empty()) {
    return command_result::cms(cms_invalid_text);
  }
  modem.ports.ask_for_data({.prompt = "> ",
                            .length = std::nullopt,
                            .max_length = max_body,
                            .prompt_each_line = true,
                            .done = [&modem, destination = params.text(0), pdu_length](data_block body) {
                              return send_sms(modem, destination, pdu_length, std::move(body));
                            }});
  return command_result::held();
}

// Where AT+CMGR, AT+CMGL and AT+CMGD read: the first storage of AT+CPMS.
sms_store& read_storage(modem_context& modem) { return modem.world.sms_storage(modem.world.sms().storages[0]); }

command_result set_cmgr(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable_for_sms()) return command_result::cms(*code);
  sms_message* message = read_storage(modem).find(params.integer(0));
  if (!message) return command_result::cms(cms_invalid_index);
  auto lines = message_lines(modem.world.sms(), *message, std::nullopt);
  if (message->state == sms_message::status::received_unread) {
    message->state = sms_message::status::received_read;
  }
  return command_result::ok(std::move(lines));
}

command_result test_cmgl(modem_context& modem) {
  if (modem.world.sms().format == 0) return command_result::ok({"+CMGL: (0-4)"});
  return command_result::ok({"+CMGL: " + quoted_word_list(status_words)});
}

command_result set_cmgl(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable_for_sms()) return command_result::cms(*code);
  const int format = modem.world.sms().format;
  // Text mode names the status ("REC UNREAD" when absent), PDU mode numbers it (0 when absent).
  int wanted = 0;
  if (params.has(0)) {
    const std::string& given = params.text(0);
    auto number = parse_at_number(given);
    auto word = std::find(status_words.begin(), status_words.end(), given);
    if (format == 0 && number && *number >= 0 && *number <= all_messages) {
      wanted = static_cast<int>(*number);
    } else if (format == 1 && word != status_words.end()) {
      wanted = static_cast<int>(word - status_words.begin());
    } else {
      return command_result::error();
    }
  }
  sms_store& store = read_storage(modem);
  std::vector<std::string> lines;
  for (auto& [index, message] : store.messages()) {
    if (wanted != all_messages && static_cast<int>(message.state) != wanted) continue;
    for (auto& line : message_lines(modem.world.sms(), message, index)) lines.push_back(std::move(line));
  }
  for (int index = 1; index <= store.capacity(); ++index) {
    sms_message* message = store.find(index);
    if (message && message->state == sms_message::status::received_unread &&
        (wanted == all_messages || wanted == 0)) {
      message->state = sms_message::status::received_read;
    }
  }
  return command_result::ok(std::move(lines));
}

command_result set_cmgd(modem_context& modem, const at_params& params) {
  if (auto code = modem.sim_unusable_for_sms()) return command_result::cms(*code);
  const int flag = params.integer(1, 0);
  sms_store& store = read_storage(modem);
  if (flag == 0) {
    return store.erase(params.integer(0)) ? command_result::ok() : command_result::cms(cms_invalid_index);
  }
  // 1 read, 2 read and sent, 3 all but unread, 4 all.
  using status = sms_message::status;
  auto deleted = [flag](status state) {
    if (flag == 1) return state == status::received_read;
    if (flag == 2) return state == status::received_read || state == status::stored_sent;
    return flag == 4 || state != status::received_unread;
  };
  std::vector<int> doomed;
  for (const auto& [index, message] : store.messages()) {
    if (deleted(message.state)) doomed.push_back(index);
  }
  for (int index : doomed) store.erase(index);
  return command_result::ok();
}

}  // namespace

void add_sms_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CMGF",
             .test = answer({"+CMGF: (0-1)"}),
             .read = handler(modem, read_cmgf),
             .set = handler(modem, set_cmgf),
             .set_args = {optional(integer(0, 1))}});
  table.add({.name = "+CSCA",
             .test = answer_ok(),
             .read = handler(modem, read_csca),
             .set = handler(modem, set_csca),
             .set_args = {text(20), optional(integer(129, 145))}});
  table.add({.name = "+CSMP",
             .test = answer_ok(),
             .read = show_settings("+CSMP", modem.world.sms().csmp),
             .set = store_settings(modem.world.sms().csmp),
             .set_args = {optional(integer(0, 255)), optional(integer(0, 255)), optional(integer(0, 255)),
                          optional(integer(0, 255))}});
  table.add({.name = "+CNMI",
             .test = answer({"+CNMI: (0-3),(0-3),(0,2),(0-2),(0-1)"}),
             .read = show_settings("+CNMI", modem.world.sms().cnmi),
             .set = store_settings(modem.world.sms().cnmi),
             .set_args = {integer(0, 3), optional(integer(0, 3)), optional(integer_of({0, 2})),
                          optional(integer(0, 2)), optional(integer(0, 1))}});
  const std::string storage_list = quoted_word_list(sms_storages);
  table.add({.name = "+CPMS",
             .test = answer({"+CPMS: " + storage_list + "," + storage_list + "," + storage_list}),
             .read = handler(modem, read_cpms),
             .set = handler(modem, set_cpms),
             .set_args = {word(sms_storages), optional(word(sms_storages)), optional(word(sms_storages))}});
  table.add({.name = "+CMGS",
             .test = answer_ok(),
             .set = handler(modem, set_cmgs),
             .set_args = {text(20), optional(integer(129, 145))}});
  table.add({.name = "+CMGR", .test = answer_ok(), .set = handler(modem, set_cmgr), .set_args = {integer(0, 255)}});
  table.add({.name = "+CMGL",
             .test = handler(modem, test_cmgl),
             .set = handler(modem, set_cmgl),
             .set_args = {optional(text(10))}});
  table.add({.name = "+CMGD",
             .test = answer({"+CMGD: (1-30),(0-4)"}),
             .set = handler(modem, set_cmgd),
             .set_args = {integer(0, 255), optional(integer(0, 4))}});
}

}  // namespace agent
