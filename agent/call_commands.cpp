// The voice call's commands (no audio is carried): ATD<number>; ATA, ATH, AT+CHUP, AT+CLCC, AT+VTS, AT+CVHU, and
// the incoming call's reports AT+CLIP and AT+CRC. The call itself is agent/voice_call; what the host sees of it
// afterwards (VOICE CALL: BEGIN, NO CARRIER, BUSY, ...) comes as URCs after the command's OK.
#include <optional>
#include <string>
#include <string_view>

#include "agent/modem_commands.hpp"

namespace agent {
namespace {

// Dial strings are ASCII: no locale.
char dial_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// The number a V.250 dial string calls: digits, '*', '#', 'A'-'C' and a leading '+' are dialled; the modifiers
// ',' 'T' 'P' 'W' '!' '@' mean nothing to a mobile network and 27.007's 'I'/'i' (CLIR) and 'G'/'g' (closed user
// group) are accepted and ignored. Anything else (a phonebook dial "><n>", a stray letter) is not a number.
std::optional<std::string> dialled_number(std::string_view dial_string) {
  std::string number;
  for (char c : dial_string) {
    const char u = dial_upper(c);
    const bool digit = (u >= '0' && u <= '9') || u == '*' || u == '#' || (u >= 'A' && u <= 'C');
    if (digit || (u == '+' && number.empty())) {
      number += u;
    } else if (std::string_view(",TPW!@IG").find(u) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  if (number.empty() || number == "+") return std::nullopt;
  return number;
}

std::int64_t now(const modem_context& modem) { return modem.ports.clock.unix_seconds(); }

// ATD<number>; (a voice call) and ATDL (the last number again). A data call (no ';') is not carried here: ERROR.
command_result run_dial(modem_context& modem, const at_command& command) {
  if (command.kind != at_command::form::action) return command_result::error();
  std::string_view dial_string = command.args;
  std::optional<std::string> number;
  if (dial_upper(dial_string.empty() ? ' ' : dial_string[0]) == 'L' && dial_string.size() <= 2) {
    if (dial_string.size() == 2 && dial_string[1] != ';') return command_result::error();
    if (modem.call.last_dialled().empty()) return command_result::error();
    number = modem.call.last_dialled();
  } else {
    if (!dial_string.ends_with(';')) return command_result::error();
    number = dialled_number(dial_string.substr(0, dial_string.size() - 1));
    if (!number) return command_result::error();
  }
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  if (!modem.world.voice_service()) return command_result::cme(30);  // no network service
  if (!modem.run_call_event(call_event::host_dials, {*number, now(modem)})) return command_result::cme(3);
  return command_result::ok();
}

// ATA: answers the incoming call (VOICE CALL: BEGIN follows the OK); with none ringing, NO CARRIER.
command_result run_answer(modem_context& modem) {
  if (modem.call.phase() != call_phase::incoming) return command_result::no_carrier();
  modem.run_call_event(call_event::host_answers, {.now = now(modem)});
  return command_result::ok();
}

// ATH: ends the call unless AT+CVHU=1 asks ATH to leave voice calls alone; OK either way.
command_result run_hook(modem_context& modem) {
  if (modem.call.reports().cvhu == 0) modem.run_call_event(call_event::host_hangs_up, {.now = now(modem)});
  return command_result::ok();
}

// AT+CHUP: ends the call whatever AT+CVHU says; OK with or without one.
command_result run_chup(modem_context& modem) {
  modem.run_call_event(call_event::host_hangs_up, {.now = now(modem)});
  return command_result::ok();
}

command_result list_calls(modem_context& modem) { return command_result::ok(modem.call.list()); }

// AT+VTS=<dtmf>[,<duration>]: tones from 0-9, '*', '#', 'A'-'D', sent only during an active call.
command_result send_tones(modem_context& modem, const at_params& params) {
  std::string tones;
  for (char c : params.text(0)) {
    const char u = dial_upper(c);
    if (!((u >= '0' && u <= '9') || u == '*' || u == '#' || (u >= 'A' && u <= 'D'))) return command_result::error();
    tones += u;
  }
  if (tones.empty()) return command_result::error();
  if (!modem.call.send_tones(tones)) return command_result::cme(3);  // operation not allowed: no active call
  return command_result::ok();
}

// The read and set forms of one call reporting setting ("+CLCC: <n>").
form_answer show_report(modem_context& modem, std::string name, int call_reports::*setting, std::string suffix = {}) {
  return [&modem, prefix = std::move(name) + ": ", setting, suffix = std::move(suffix)] {
    return command_result::ok({prefix + std::to_string(modem.call.reports().*setting) + suffix});
  };
}
form_answer store_report(modem_context& modem, int call_reports::*setting, int fallback) {
  return [&modem, setting, fallback](const at_params& params) {
    modem.call.reports().*setting = params.integer(0, fallback);
    return command_result::ok();
  };
}

}  // namespace

void add_call_commands(command_table& table, modem_context& modem) {
  table.add("D", [&modem](const at_command& command) { return run_dial(modem, command); });
  table.add({.name = "A", .action = handler(modem, run_answer)});
  table.add({.name = "H", .action = handler(modem, run_hook), .action_args = {optional(integer(0, 0))}});
  table.add({.name = "+CHUP", .test = answer_ok(), .action = handler(modem, run_chup)});
  table.add({.name = "+CLCC",
             .test = answer({"+CLCC: (0-1)"}),
             .read = show_report(modem, "+CLCC", &call_reports::clcc),
             .set = store_report(modem, &call_reports::clcc, 0),
             .set_args = {integer(0, 1)},
             .action = handler(modem, list_calls)});
  table.add({.name = "+VTS",
             .test = answer({"+VTS: (0-9,*,#,A,B,C,D)"}),
             .set = handler(modem, send_tones),
             .set_args = {text(), optional(integer(1, 255))}});
  table.add({.name = "+CVHU",
             .test = answer({"+CVHU: (0-1)"}),
             .read = show_report(modem, "+CVHU", &call_reports::cvhu),
             .set = store_report(modem, &call_reports::cvhu, 0),
             .set_args = {integer(0, 1)}});
  // <m> 1: the network provides the caller's number.
  table.add({.name = "+CLIP",
             .test = answer({"+CLIP: (0-1)"}),
             .read = show_report(modem, "+CLIP", &call_reports::clip, ",1"),
             .set = store_report(modem, &call_reports::clip, 0),
             .set_args = {integer(0, 1)}});
  table.add({.name = "+CRC",
             .test = answer({"+CRC: (0-1)"}),
             .read = show_report(modem, "+CRC", &call_reports::crc),
             .set = store_report(modem, &call_reports::crc, 0),
             .set_args = {optional(integer(0, 1))}});
}

}  // namespace agent
