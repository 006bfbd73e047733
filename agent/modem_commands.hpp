#pragma once
// modem_commands: the SIM7600's own command set on the radio world — identification, SIM (AT+CPIN, AT+CLCK,
// AT+CPWD, AT+SPIC), network (AT+CFUN, AT+CREG/CGREG/CEREG, AT+COPS, AT+CSQ, AT+CPSI, ...), packet domain
// (AT+CGDCONT, AT+CGATT, AT+CGACT, ...), clock and power (AT+CCLK, AT+CTZU, AT+CBC, ...), what host stacks send
// at init (AT+CSCS, AT+CPBS, ...), SMS (27.005) and the note's data-call bring-up (AT+CAPNET, AT+CHTTPSERV,
// AT+CHTTPUPDATE). Each family's rows live in its own file.
#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"
#include "agent/module_core.hpp"
#include "agent/radio_world.hpp"
#include "apca/ports.hpp"

namespace agent {

// The revision ATI and AT+CGMR print: the firmware version up to its first '_' ("LE11B01SIM7600M11").
std::string module_revision(std::string_view firmware_version);

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

class modem_commands {
 public:
  static constexpr std::chrono::milliseconds dial_delay{300};
  static constexpr std::chrono::milliseconds clock_sync_delay{1000};
  // The +CHTTPUPDATE result when the clock could not be synchronised (no data call or no time server).
  static constexpr int clock_sync_failed = 1;

  modem_commands(module_identity identity, radio_world& world, modem_ports ports);

  void add_to(command_table& table);
  // Timer expiries for the modem (data_call, clock_sync). False when `id` is not one of them.
  bool on_timer(apca::timer_id id);
  // The module rebooted: pending dials and clock syncs are gone with their timers.
  void power_cycle();
  // Shows the host what a change of the world did: its URCs, and a power down.
  void post(const world_effects& effects);

 private:
  // One file per family.
  void add_identity_commands(command_table& table);     // identity_commands.cpp
  void add_sim_commands(command_table& table);          // sim_commands.cpp
  void add_network_commands(command_table& table);      // network_commands.cpp
  void add_packet_commands(command_table& table);       // packet_commands.cpp
  void add_clock_power_commands(command_table& table);  // clock_power_commands.cpp
  void add_host_init_commands(command_table& table);    // host_init_commands.cpp
  void add_sms_commands(command_table& table);          // sms_commands.cpp
  void add_bring_up_commands(command_table& table);     // modem_commands.cpp

  // The +CME ERROR code while the SIM cannot be used (10 not inserted, 11 PIN, 12 PUK, 13 failure).
  std::optional<int> sim_unusable() const;
  // The same as a +CMS ERROR code (27.005 §3.2.5: 310 not inserted, 311 PIN, 316 PUK, 313 failure).
  std::optional<int> sim_unusable_for_sms() const;
  command_result send_sms(const std::string& destination, std::optional<int> pdu_length,
                          data_block body);
  // AT+CREG / AT+CGREG / AT+CEREG: one row shape, three domains.
  command_row registration_row(reg_domain domain, std::string_view name);
  command_result set_functionality(int functionality, int reset);
  command_result set_operator(const at_params& params);
  command_result define_context(const at_params& params);
  command_result activate_contexts(const at_params& params);
  command_result data_call(int cid, bool up);
  command_result time_servers(const at_params& params);
  command_result update_clock();
  // Drops the dial timer once nothing dials any more.
  void stop_dialling_if_idle();

  module_identity identity_;
  radio_world& world_;
  modem_state& packet_;
  modem_ports ports_;
  bool clock_sync_pending_ = false;
  std::string character_set_ = "IRA";  // AT+CSCS
  std::string phonebook_ = "SM";       // AT+CPBS
  int calling_line_reports_ = 0;       // AT+CLIP
  int cellular_result_codes_ = 0;      // AT+CRC
  int call_waiting_reports_ = 0;       // AT+CCWA
  int ussd_reports_ = 0;               // AT+CUSD
};

}  // namespace agent
