#include "agent/modem_commands.hpp"

#include <utility>
#include <vector>

#include "apca/ada_text.hpp"

namespace agent {

std::string module_revision(std::string_view firmware_version) {
  return std::string(firmware_version.substr(0, firmware_version.find('_')));
}

modem_commands::modem_commands(module_identity identity, radio_world& world, modem_ports ports)
    : identity_(std::move(identity)), world_(world), packet_(world.packet()), ports_(std::move(ports)) {}

void modem_commands::add_to(command_table& table) {
  add_identity_commands(table);
  add_sim_commands(table);
  add_network_commands(table);
  add_packet_commands(table);
  add_clock_power_commands(table);
  add_host_init_commands(table);
  add_sms_commands(table);
  add_bring_up_commands(table);
}

void modem_commands::post(const world_effects& effects) {
  for (const auto& urc : effects.urcs) ports_.post_urc(urc);
  if (effects.power_down) ports_.request_power_off();
}

std::optional<int> modem_commands::sim_unusable() const {
  switch (world_.sim().state()) {
    case sim_card::status::absent: return 10;
    case sim_card::status::pin_required: return 11;
    case sim_card::status::puk_required: return 12;
    case sim_card::status::blocked: return 13;
    case sim_card::status::ready: break;
  }
  return std::nullopt;
}

std::optional<int> modem_commands::sim_unusable_for_sms() const {
  auto code = sim_unusable();
  if (!code) return std::nullopt;
  return *code == 12 ? 316 : 300 + *code;
}

void modem_commands::stop_dialling_if_idle() {
  if (!packet_.dialling()) ports_.timers.cancel_timer(apca::timer_id::data_call);
}

// ---- power and the note's bring-up (AT+CAPNET, AT+CHTTPSERV, AT+CHTTPUPDATE) ----

void modem_commands::add_bring_up_commands(command_table& table) {
  table.add({.name = "+CRESET",
             .test = answer_ok(),
             .action =
                 [this] {
                   ports_.request_reboot();
                   return command_result::ok();
                 }});
  // The module answers OK, then switches itself off (no URC): only a power-on brings it back.
  table.add({.name = "+CPOF",
             .test = answer_ok(),
             .action =
                 [this] {
                   ports_.request_power_off();
                   return command_result::ok();
                 }});
  table.add({.name = "+CAPNET",
             .test = answer({"+CAPNET: (1-24),(0-1)"}),
             .read =
                 [this] {
                   std::vector<std::string> lines;
                   for (const auto& [cid, context] : packet_.contexts()) {
                     bool up = context.state == pdp_context::call::up;
                     lines.push_back("+CAPNET: " + std::to_string(cid) + "," + (up ? "1" : "0"));
                   }
                   return command_result::ok(std::move(lines));
                 },
             .set = [this](const at_params& params) { return data_call(params.integer(0), params.integer(1) == 1); },
             .set_args = {integer(modem_state::min_cid, modem_state::max_cid), integer(0, 1)}});
  table.add({.name = "+CHTTPSERV",
             .test = answer({"+CHTTPSERV: (\"ADD\",\"DEL\"),,(1-65535),(0-1)"}),
             .read =
                 [this] {
                   std::vector<std::string> lines;
                   for (const auto& server : packet_.time_servers()) {
                     lines.push_back("+CHTTPSERV: " + apca::quote_at_string(server.host) + "," +
                                     std::to_string(server.port) + "," + std::to_string(server.kind));
                   }
                   return command_result::ok(std::move(lines));
                 },
             .set = [this](const at_params& params) { return time_servers(params); },
             .set_args = {word({"ADD", "DEL"}), text(), optional(integer(1, 65535)), optional(integer(0, 1))}});
  table.add({.name = "+CHTTPUPDATE", .test = answer_ok(), .action = [this] { return update_clock(); }});
}

command_result modem_commands::data_call(int cid, bool up) {
  std::string urc_prefix = "+CAPNET: " + std::to_string(cid) + ",";
  if (!up) {
    if (!packet_.hang_up(cid)) return command_result::error();
    stop_dialling_if_idle();
    ports_.post_urc(urc_prefix + "0");
    return command_result::ok();
  }
  bool was_dialling = packet_.dialling();
  switch (packet_.dial(cid, world_.packet_ready())) {
    case modem_state::dial_outcome::no_context:
    case modem_state::dial_outcome::no_network: return command_result::error();
    case modem_state::dial_outcome::already_up: ports_.post_urc(urc_prefix + "1"); break;
    case modem_state::dial_outcome::dialling:
      if (!was_dialling) ports_.timers.start_timer(apca::timer_id::data_call, dial_delay);
      break;
  }
  return command_result::ok();
}

command_result modem_commands::time_servers(const at_params& params) {
  const std::string& host = params.text(1);
  if (host.empty()) return command_result::error();
  if (params.text(0) == "DEL") {
    if (params.count() != 2) return command_result::error();
    return packet_.remove_time_server(host) ? command_result::ok() : command_result::error();
  }
  if (!params.has(2)) return command_result::error();
  time_server server{host, params.integer(2), params.integer(3, 1)};
  return packet_.add_time_server(std::move(server)) ? command_result::ok() : command_result::error();
}

command_result modem_commands::update_clock() {
  if (clock_sync_pending_) return command_result::error();
  clock_sync_pending_ = true;
  ports_.timers.start_timer(apca::timer_id::clock_sync, clock_sync_delay);
  return command_result::ok();
}

bool modem_commands::on_timer(apca::timer_id id) {
  if (id == apca::timer_id::data_call) {
    // The network may have gone meanwhile: a dial then fails, as AT+CAPNET would have.
    if (!world_.packet_ready()) {
      packet_.drop_all_calls();
      return true;
    }
    if (auto cid = packet_.finish_dial()) ports_.post_urc("+CAPNET: " + std::to_string(*cid) + ",1");
    if (packet_.dialling()) ports_.timers.start_timer(apca::timer_id::data_call, dial_delay);
    return true;
  }
  if (id == apca::timer_id::clock_sync) {
    if (!clock_sync_pending_) return true;
    clock_sync_pending_ = false;
    // Decided when the sync would really end: the data call may have dropped meanwhile.
    if (packet_.can_sync_clock()) {
      packet_.set_clock_synced(true);
      ports_.clock_synced(true);
      ports_.post_urc("+CHTTPUPDATE: 0");
    } else {
      ports_.post_urc("+CHTTPUPDATE: " + std::to_string(clock_sync_failed));
    }
    return true;
  }
  return false;
}

void modem_commands::power_cycle() {
  clock_sync_pending_ = false;
  character_set_ = "IRA";
  phonebook_ = "SM";
  calling_line_reports_ = 0;
  cellular_result_codes_ = 0;
  call_waiting_reports_ = 0;
  ussd_reports_ = 0;
  ports_.timers.cancel_timer(apca::timer_id::data_call);
  ports_.timers.cancel_timer(apca::timer_id::clock_sync);
}

}  // namespace agent
