#include "agent/modem_commands.hpp"

#include <utility>
#include <vector>

#include "apca/ada_text.hpp"

namespace agent {

std::string module_revision(std::string_view firmware_version) {
  return std::string(firmware_version.substr(0, firmware_version.find('_')));
}

std::optional<int> modem_context::sim_unusable() const {
  switch (world.sim().state()) {
    case sim_card::status::absent: return 10;
    case sim_card::status::pin_required: return 11;
    case sim_card::status::puk_required: return 12;
    case sim_card::status::blocked: return 13;
    case sim_card::status::ready: break;
  }
  return std::nullopt;
}

std::optional<int> modem_context::sim_unusable_for_sms() const {
  auto code = sim_unusable();
  if (!code) return std::nullopt;
  return *code == 12 ? 316 : 300 + *code;
}

void modem_context::post(const world_effects& effects) {
  for (const auto& urc : effects.urcs) ports.post_urc(urc);
  if (effects.power_down) ports.request_power_off();
}

void modem_context::stop_dialling_if_idle() {
  if (!packet.dialling()) ports.timers.cancel_timer(apca::timer_id::data_call);
}

bool modem_context::run_call_event(call_event event, const call_input& input) {
  const call_effects effects = call.on(event, input);
  if (!effects.accepted) return false;
  for (const auto& urc : effects.urcs) ports.post_urc(urc);
  if (effects.timer == call_timer::start) ports.timers.start_timer(apca::timer_id::voice_call, effects.timer_after);
  if (effects.timer == call_timer::stop) ports.timers.cancel_timer(apca::timer_id::voice_call);
  return true;
}

// ---- power and the note's bring-up (AT+CAPNET, AT+CHTTPSERV, AT+CHTTPUPDATE) ----

namespace {

command_result run_creset(modem_context& modem) {
  modem.ports.request_reboot();
  return command_result::ok();
}

command_result run_cpof(modem_context& modem) {
  modem.ports.request_power_off();
  return command_result::ok();
}

command_result read_capnet(modem_context& modem) {
  std::vector<std::string> lines;
  for (const auto& [cid, context] : modem.packet.contexts()) {
    bool up = context.state == pdp_context::call::up;
    lines.push_back("+CAPNET: " + std::to_string(cid) + "," + (up ? "1" : "0"));
  }
  return command_result::ok(std::move(lines));
}

// AT+CAPNET=<cid>,<1|0>: dials the context's data call (its URC when up) or hangs it up.
command_result set_capnet(modem_context& modem, const at_params& params) {
  const int cid = params.integer(0);
  std::string urc_prefix = "+CAPNET: " + std::to_string(cid) + ",";
  if (params.integer(1) != 1) {
    if (!modem.packet.hang_up(cid)) return command_result::error();
    modem.stop_dialling_if_idle();
    modem.ports.post_urc(urc_prefix + "0");
    return command_result::ok();
  }
  bool was_dialling = modem.packet.dialling();
  switch (modem.packet.dial(cid, modem.world.packet_ready())) {
    case modem_state::dial_outcome::no_context:
    case modem_state::dial_outcome::no_network: return command_result::error();
    case modem_state::dial_outcome::already_up: modem.ports.post_urc(urc_prefix + "1"); break;
    case modem_state::dial_outcome::dialling:
      if (!was_dialling) modem.ports.timers.start_timer(apca::timer_id::data_call, modem_commands::dial_delay);
      break;
  }
  return command_result::ok();
}

command_result read_chttpserv(modem_context& modem) {
  std::vector<std::string> lines;
  for (const auto& server : modem.packet.time_servers()) {
    lines.push_back("+CHTTPSERV: " + apca::quote_at_string(server.host) + "," + std::to_string(server.port) + "," +
                    std::to_string(server.kind));
  }
  return command_result::ok(std::move(lines));
}

command_result set_chttpserv(modem_context& modem, const at_params& params) {
  const std::string& host = params.text(1);
  if (host.empty()) return command_result::error();
  if (params.text(0) == "DEL") {
    if (params.count() != 2) return command_result::error();
    return modem.packet.remove_time_server(host) ? command_result::ok() : command_result::error();
  }
  if (!params.has(2)) return command_result::error();
  time_server server{host, params.integer(2), params.integer(3, 1)};
  return modem.packet.add_time_server(std::move(server)) ? command_result::ok() : command_result::error();
}

// AT+CHTTPUPDATE: OK now, +CHTTPUPDATE: <result> when the sync ends (modem_commands::on_timer).
command_result run_chttpupdate(modem_context& modem) {
  if (modem.clock_sync_pending) return command_result::error();
  modem.clock_sync_pending = true;
  modem.ports.timers.start_timer(apca::timer_id::clock_sync, modem_commands::clock_sync_delay);
  return command_result::ok();
}

}  // namespace

void add_bring_up_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CRESET", .test = answer_ok(), .action = handler(modem, run_creset)});
  // The module answers OK, then switches itself off (no URC): only a power-on brings it back.
  table.add({.name = "+CPOF", .test = answer_ok(), .action = handler(modem, run_cpof)});
  table.add({.name = "+CAPNET",
             .test = answer({"+CAPNET: (1-24),(0-1)"}),
             .read = handler(modem, read_capnet),
             .set = handler(modem, set_capnet),
             .set_args = {integer(modem_state::min_cid, modem_state::max_cid), integer(0, 1)}});
  table.add({.name = "+CHTTPSERV",
             .test = answer({"+CHTTPSERV: (\"ADD\",\"DEL\"),,(1-65535),(0-1)"}),
             .read = handler(modem, read_chttpserv),
             .set = handler(modem, set_chttpserv),
             .set_args = {word({"ADD", "DEL"}), text(), optional(integer(1, 65535)), optional(integer(0, 1))}});
  table.add({.name = "+CHTTPUPDATE", .test = answer_ok(), .action = handler(modem, run_chttpupdate)});
}

// ---- the modem ----

modem_commands::modem_commands(module_identity identity, radio_world& world, modem_ports ports)
    : modem_{std::move(identity), world, world.packet(), std::move(ports)} {}

void modem_commands::add_to(command_table& table) {
  add_identity_commands(table, modem_);
  add_sim_commands(table, modem_);
  add_network_commands(table, modem_);
  add_packet_commands(table, modem_);
  add_clock_power_commands(table, modem_);
  add_host_init_commands(table, modem_);
  add_sms_commands(table, modem_);
  add_bring_up_commands(table, modem_);
  add_call_commands(table, modem_);
  add_ussd_commands(table, modem_);
  add_location_commands(table, modem_);
}

void modem_commands::post(const world_effects& effects) { modem_.post(effects); }

bool modem_commands::call_event_from_network(call_event event, const std::string& number) {
  return modem_.run_call_event(event, {number, modem_.ports.clock.unix_seconds()});
}

void modem_commands::drop_call_without_service() {
  if (modem_.call.phase() != call_phase::idle && !modem_.world.voice_service()) {
    call_event_from_network(call_event::network_lost);
  }
}

bool modem_commands::on_timer(apca::timer_id id) {
  modem_state& packet = modem_.packet;
  modem_ports& ports = modem_.ports;
  if (id == apca::timer_id::voice_call) {
    call_event_from_network(call_event::timer_fired);
    return true;
  }
  if (id == apca::timer_id::data_call) {
    // The network may have gone meanwhile: a dial then fails, as AT+CAPNET would have.
    if (!modem_.world.packet_ready()) {
      packet.drop_all_calls();
      return true;
    }
    if (auto cid = packet.finish_dial()) ports.post_urc("+CAPNET: " + std::to_string(*cid) + ",1");
    if (packet.dialling()) ports.timers.start_timer(apca::timer_id::data_call, dial_delay);
    return true;
  }
  if (id == apca::timer_id::clock_sync) {
    if (!modem_.clock_sync_pending) return true;
    modem_.clock_sync_pending = false;
    // Decided when the sync would really end: the data call may have dropped meanwhile.
    if (packet.can_sync_clock()) {
      packet.set_clock_synced(true);
      ports.clock_synced(true);
      ports.post_urc("+CHTTPUPDATE: 0");
    } else {
      ports.post_urc("+CHTTPUPDATE: " + std::to_string(clock_sync_failed));
    }
    return true;
  }
  return false;
}

void modem_commands::power_cycle() {
  modem_.clock_sync_pending = false;
  modem_.host_init = {};
  modem_.call.reset();
  modem_.ports.timers.cancel_timer(apca::timer_id::voice_call);
  modem_.ports.timers.cancel_timer(apca::timer_id::data_call);
  modem_.ports.timers.cancel_timer(apca::timer_id::clock_sync);
}

}  // namespace agent
