#pragma once
// ntp_commands: AT+CNTP, "update system time" — the NTP server and time zone (set and read forms) and the action
// that asks the server over the data call and sets the module's clock (what AT+CCLK reads), then reports
// +CNTP: <err>. The query itself is ntp_client's.
#include <functional>
#include <string>

#include "agent/command_table.hpp"
#include "agent/ntp_client.hpp"
#include "agent/radio_world.hpp"

namespace agent {

struct ntp_command_ports {
  ntp_port& io;
  apca::timer_port& timers;
  apca::clock_port& clock;                   // the host's clock
  std::function<void(std::string)> post_urc;  // at_engine::post_urc
  std::function<void()> clock_synced;         // the RTC now holds network time (the ADA agent may authenticate)
};

class ntp_commands {
 public:
  // <timezone> in quarters of an hour, -96..96; the manual's default is 32 (UTC+8).
  static constexpr int default_time_zone = 32;

  ntp_commands(radio_world& world, ntp_command_ports ports);

  void add_to(command_table& table);
  ntp_client& client() { return client_; }
  // A reboot: a query in flight is forgotten, the settings are back to their defaults.
  void power_cycle();

 private:
  command_result read() const;
  command_result set(const at_params& params);
  command_result update();  // the action form
  void finished(ntp_result result);

  radio_world& world_;
  ntp_command_ports ports_;
  std::string host_;
  int time_zone_ = default_time_zone;
  int query_time_zone_ = default_time_zone;  // the zone the running query sets, as it was when it started
  ntp_client client_;
};

}  // namespace agent
