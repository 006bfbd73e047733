#pragma once
// modem_commands: the SIM7600's own command set on the radio world — identification, SIM (AT+CPIN, AT+CLCK,
// AT+CPWD, AT+SPIC), network (AT+CFUN, AT+CREG/CGREG/CEREG, AT+COPS, AT+CSQ, AT+CPSI, ...), packet domain
// (AT+CGDCONT, AT+CGATT, AT+CGACT, ...), clock and power (AT+CCLK, AT+CTZU, AT+CBC, ...), what host stacks send
// at init (AT+CSCS, AT+CPBS, ...), SMS (27.005) and the note's data-call bring-up (AT+CAPNET, AT+CHTTPSERV,
// AT+CHTTPUPDATE). Each family's rows live in its own file; their handlers act on one modem_context.
#include <chrono>
#include <string>
#include <string_view>

#include "agent/command_table.hpp"
#include "agent/modem_context.hpp"

namespace agent {

// The revision ATI and AT+CGMR print: the firmware version up to its first '_' ("LE11B01SIM7600M11").
std::string module_revision(std::string_view firmware_version);

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
  // The far end or the network acts on the voice call (the control API's `call ...`): the host sees its URCs.
  // False when the call is not in a phase that allows the event (nothing changed).
  bool call_event_from_network(call_event event, const std::string& number = {});
  // A call cannot outlive the SIM or the network's service: after a change of the world, it drops (NO CARRIER).
  void drop_call_without_service();
  const voice_call& call() const { return modem_.call; }

 private:
  modem_context modem_;
};

}  // namespace agent
