#pragma once
// modem_commands: the SIM7600's own command set — identification (ATI, AT+CGMI, AT+CGMM, AT+CGMR, AT+CGSN,
// AT+SIMCOMATI, AT+CIMI, AT+CICCID), SIM and network status (AT+CPIN, AT+CSQ, AT+CREG, AT+CGREG, AT+CEREG,
// AT+COPS, AT+CCLK), power (AT+CFUN, AT+CRESET) and the data-call bring-up of the note's samples (AT+CGDCONT,
// AT+CAPNET, AT+CHTTPSERV, AT+CHTTPUPDATE).
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "agent/command_table.hpp"
#include "agent/modem_state.hpp"
#include "agent/module_core.hpp"
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
  std::function<void(bool synced)> clock_synced;      // apca::service::set_clock_synced
};

class modem_commands {
 public:
  static constexpr std::chrono::milliseconds dial_delay{300};
  static constexpr std::chrono::milliseconds clock_sync_delay{1000};
  // The +CHTTPUPDATE result when the clock could not be synchronised (no data call or no time server).
  static constexpr int clock_sync_failed = 1;

  modem_commands(module_identity identity, modem_state& state, modem_ports ports);

  void add_to(command_table& table);
  // Timer expiries for the modem (data_call, clock_sync). False when `id` is not one of them.
  bool on_timer(apca::timer_id id);
  // The module rebooted: pending dials and clock syncs are gone with their timers.
  void power_cycle();

 private:
  // AT+CREG / AT+CGREG / AT+CEREG: one row shape, three domains.
  command_row registration_row(modem_state::registration_kind kind, std::string_view name);
  // "<stat>", and with <n>=2 while registered the serving cell (for EPS also the access technology).
  std::string registration_fields(modem_state::registration_kind kind) const;
  void report_registration();
  command_result set_functionality(int functionality, int reset);
  command_result list_contexts() const;
  command_result define_context(const at_params& params);
  command_result data_call(int cid, bool up);
  command_result time_servers(const at_params& params);
  command_result update_clock();

  module_identity identity_;
  modem_state& state_;
  modem_ports ports_;
  bool clock_sync_pending_ = false;
};

}  // namespace agent
