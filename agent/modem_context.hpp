#pragma once
// modem_context: what the SIM7600's command handlers act on — the identity, the radio world and its packet
// domain, the ports, and the settings of the host-init commands — and the builders of the command families, one
// file each, whose rows name their handlers (free functions of a modem_context).
#include <functional>
#include <optional>
#include <string>

#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"
#include "agent/module_core.hpp"
#include "agent/radio_world.hpp"
#include "agent/voice_call.hpp"
#include "apca/ports.hpp"

namespace agent {

struct modem_ports {
  apca::timer_port& timers;
  apca::clock_port& clock;
  std::function<void(std::string)> post_urc;          // at_engine::post_urc
  std::function<std::string()> firmware_version;      // the running firmware (apca::service::firmware_version)
  std::function<void()> request_reboot;               // after this command line's final result code
  std::function<void()> request_power_off;            // likewise (AT+CPOF, an under-voltage power down)
  std::function<void(bool synced)> clock_synced;      // apca::service::set_clock_synced
  std::function<void(data_prompt)> ask_for_data;      // AT+CMGS's "> " body (at_engine::ask_for_data)
};

// What the host-init commands keep (power-on values; a reboot restores them).
struct host_init_settings {
  std::string character_set = "IRA";  // AT+CSCS
  std::string phonebook = "SM";       // AT+CPBS
  int call_waiting_reports = 0;       // AT+CCWA
  int ussd_reports = 0;               // AT+CUSD: 1 shows the network's answers (+CUSD)
};

struct modem_context {
  module_identity identity;
  radio_world& world;
  modem_state& packet;
  modem_ports ports;
  bool clock_sync_pending = false;
  host_init_settings host_init = {};
  voice_call call = {};

  // The +CME ERROR code while the SIM cannot be used (10 not inserted, 11 PIN, 12 PUK, 13 failure).
  std::optional<int> sim_unusable() const;
  // The same as a +CMS ERROR code (27.005 §3.2.5: 310 not inserted, 311 PIN, 316 PUK, 313 failure).
  std::optional<int> sim_unusable_for_sms() const;
  // Shows the host what a change of the world did: its URCs, and a power down.
  void post(const world_effects& effects);
  // Drops the dial timer once nothing dials any more.
  void stop_dialling_if_idle();
  // Runs a voice call event: the host sees its URCs, the call's timer starts or stops. False when the event does
  // not fit the call's phase (nothing changed).
  bool run_call_event(call_event event, const call_input& input = {});
};

// The families' rows, one file each.
void add_identity_commands(command_table& table, modem_context& modem);     // identity_commands.cpp
void add_sim_commands(command_table& table, modem_context& modem);          // sim_commands.cpp
void add_network_commands(command_table& table, modem_context& modem);      // network_commands.cpp
void add_packet_commands(command_table& table, modem_context& modem);       // packet_commands.cpp
void add_clock_power_commands(command_table& table, modem_context& modem);  // clock_power_commands.cpp
void add_host_init_commands(command_table& table, modem_context& modem);    // host_init_commands.cpp
void add_sms_commands(command_table& table, modem_context& modem);          // sms_commands.cpp
void add_bring_up_commands(command_table& table, modem_context& modem);     // modem_commands.cpp
void add_call_commands(command_table& table, modem_context& modem);         // call_commands.cpp
void add_ussd_commands(command_table& table, modem_context& modem);         // ussd_commands.cpp
void add_location_commands(command_table& table, modem_context& modem);     // location_commands.cpp

}  // namespace agent
