// The SIM's lock: AT+CPIN (enter PIN or PUK), AT+CLCK="SC" (PIN asked at power-on or not), AT+CPWD="SC" (change
// the PIN) and AT+SPIC (tries left). A wrong PIN costs a try; after the third the PUK is asked.
#include <vector>

#include "agent/modem_commands.hpp"

namespace agent {
namespace {

// The SIM's own text in +CPIN: answers.
const char* cpin_text(sim_card::status status) {
  switch (status) {
    case sim_card::status::pin_required: return "SIM PIN";
    case sim_card::status::puk_required: return "SIM PUK";
    default: return "READY";
  }
}

// The facilities AT+CLCK knows: the SIM's PIN ("SC") is emulated; the network personalisation and call
// barring locks are never set on the emulated module, so their queries say 0 and changing them is refused.
const std::vector<std::string> lock_facilities{"SC", "PN", "PU", "PP", "PC", "PF", "FD", "AO",
                                               "OI", "OX", "AI", "IR", "AB", "AG", "AC"};

// The PIN2 / PUK2 tries AT+SPIC reports: the emulated SIM never asks for PIN2.
constexpr int pin2_tries = 3;
constexpr int puk2_tries = 10;

// Runs a PIN operation on the world's SIM: OK, or the SIM's +CME ERROR; URCs of what changed follow.
command_result on_sim(modem_context& modem, const std::function<sim_card::outcome(sim_card&)>& operation) {
  sim_card::outcome outcome = sim_card::outcome::done;
  modem.post(modem.world.sim_operation(operation, outcome));
  return outcome == sim_card::outcome::done ? command_result::ok() : command_result::cme(cme_code(outcome));
}

command_result read_cpin(modem_context& modem) {
  auto code = modem.sim_unusable();
  if (code == 10 || code == 13) return command_result::cme(*code);
  return command_result::ok({std::string("+CPIN: ") + cpin_text(modem.world.sim().state())});
}

command_result set_cpin(modem_context& modem, const at_params& params) {
  return on_sim(modem, [&](sim_card& sim) { return sim.enter(params.text(0), params.text(1)); });
}

command_result set_clck(modem_context& modem, const at_params& params) {
  const int mode = params.integer(1);
  const bool pin_lock = params.text(0) == "SC";
  if (mode == 2) {  // query
    if (auto code = modem.sim_unusable(); code == 10 || code == 13) return command_result::cme(*code);
    const bool locked = pin_lock && modem.world.sim().lock_enabled();
    return command_result::ok({std::string("+CLCK: ") + (locked ? "1" : "0")});
  }
  if (!pin_lock) return command_result::cme(3);
  if (!params.has(2)) return command_result::error();
  return on_sim(modem, [&](sim_card& sim) { return sim.set_lock(mode == 1, params.text(2)); });
}

command_result set_cpwd(modem_context& modem, const at_params& params) {
  return on_sim(modem, [&](sim_card& sim) { return sim.change_pin(params.text(1), params.text(2)); });
}

command_result run_spic(modem_context& modem) {
  const sim_card& sim = modem.world.sim();
  if (sim.state() == sim_card::status::absent) return command_result::cme(10);
  return command_result::ok({"+SPIC: " + std::to_string(sim.pin_tries_left()) + "," +
                             std::to_string(sim.puk_tries_left()) + "," + std::to_string(pin2_tries) + "," +
                             std::to_string(puk2_tries)});
}

}  // namespace

void add_sim_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CPIN",
             .test = answer_ok(),
             .read = handler(modem, read_cpin),
             .set = handler(modem, set_cpin),
             .set_args = {text(), optional(text())}});
  table.add({.name = "+CLCK",
             .test = answer({"+CLCK: " + quoted_word_list(lock_facilities)}),
             .set = handler(modem, set_clck),
             .set_args = {word(lock_facilities), integer(0, 2), optional(text()), optional(integer(1, 255))}});
  table.add({.name = "+CPWD",
             .test = answer({"+CPWD: (\"SC\",8)"}),
             .set = handler(modem, set_cpwd),
             .set_args = {word({"SC"}), text(), text()}});
  table.add({.name = "+SPIC", .test = answer_ok(), .action = handler(modem, run_spic)});
}

}  // namespace agent
