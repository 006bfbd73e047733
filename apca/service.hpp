#pragma once
// apca::service: the Ayla agent's service core (start/stop, config, setup mode, sign, status, and later the
// cloud connection, properties and OTA). Sans-I/O: it reaches time, the host and NV memory only through ports.
#include "apca/ports.hpp"
#include "config_store/nv_image.hpp"

namespace apca {

struct service_ports {
  timer_port& timers;
  clock_port& clock;
  urc_sink& urcs;
  nv_port& nv;
};

class service {
 public:
  service(service_ports ports, config_store::nv_image nv);

  // ---- from the modem side (agent) ----
  void set_data_call(bool up);          // a PDP context dialled (AT+CAPNET=<cid>,1) or hung up
  void set_clock_synced(bool synced);   // AT+CHTTPUPDATE succeeded / clock lost
  void power_cycle();                   // the module rebooted: service stopped, volatile state lost, NV kept
  void on_timer(timer_id id);

  // The NV image as last accepted (what the next boot would load).
  const config_store::nv_image& nv() const;

  // ---- host commands: the AT+ADA table (agent/ada_commands.cpp) calls these ----
  // (declared by the implementation)
};

}  // namespace apca
