#pragma once
// apca::service: the Ayla agent's service core (start/stop, config, setup mode, sign, status, and later the
// cloud connection, properties and OTA). Sans-I/O: it reaches time, the host and NV memory only through ports.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apca/chunk_assembler.hpp"
#include "apca/cloud_port.hpp"
#include "apca/host_requests.hpp"
#include "apca/link_state.hpp"
#include "apca/ports.hpp"
#include "apca/result.hpp"
#include "config_store/nv_image.hpp"

namespace apca {

struct service_ports {
  timer_port& timers;
  clock_port& clock;
  urc_sink& urcs;
  nv_port& nv;
  cloud_port* cloud = nullptr;   // without one, the cloud commands answer 8 "not supported"
  std::function<void()> reboot;  // a module OTA image was applied: reboot the module into it
};

// `+ADA: "status",<code>[,<reason>]`, the answer and the URC.
std::string status_line(connection_status status);

// How an accepted change ends: at once, not at all (same value as stored), or once NV has saved it.
enum class write_state { done, no_change, saving };
// Called once for a write that answered `saving`: nullopt when durable, else the error (the change rolled back).
using saved_callback = std::function<void(std::optional<ada_error>)>;

// The in-field provisioning material built from the OEM key given with AT+ADA="sign" (SPEC §4).
struct provisioning_signature {
  std::string message;    // "<oem/id> <oem/hwid> <oem/keyid> <rand>"
  std::string rand;       // the random part of the message
  std::string signature;  // PKCS#1 v1.5 recoverable signature of message (rsa_key::sign_recoverable), raw
};

// The module firmware version a new module reports (NV "fw/version" overrides it).
inline constexpr std::string_view default_firmware_version =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a";

class service {
 public:
  service(service_ports ports, config_store::nv_image nv);
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  // ---- from the modem side (agent) ----
  void set_data_call(bool up);         // a PDP context dialled (AT+CAPNET=<cid>,1) or hung up
  void set_clock_synced(bool synced);  // AT+CHTTPUPDATE succeeded / clock lost
  // The agent is temporarily unable to take requests (control API `busy`): status 8, sends refused with code 2.
  void set_busy(bool busy);
  void power_cycle();                  // the module rebooted: service stopped, volatile state lost, NV kept
  void on_timer(timer_id id);
  // The host's port has written all queued output (paces OTA image parts).
  void host_output_drained();
  bool awaits_host_output_drained() const;

  // The NV image as last accepted (what the next boot would load).
  const config_store::nv_image& nv() const;

  // Merges `values` into NV and saves through nv_port; `done(ok)` once durable (AT&W). On a failed save the
  // merged keys go back to what they were.
  void nv_store(std::map<std::string, std::string> values, std::function<void(bool ok)> done);
  // The same where a key may also be erased (nullopt): the module's files and certificates.
  void nv_change(std::map<std::string, std::optional<std::string>> changes, std::function<void(bool ok)> done);

  // ---- host commands: the AT+ADA table (agent/ada_commands.cpp) calls these ----
  // The table checks started() for the sub-commands that need it (code 7) and validates the argument shapes;
  // these check values and state.
  bool started() const;
  void start();  // idempotent; URC +ADA: "start","done"
  void stop();   // idempotent

  connection_status status();                // the answer to "status"; from the first call on, changes are URCs
  connection_status current_status() const;  // the same, without turning URCs on
  // The first config key a connection still lacks ("sign" for the in-field provisioning key), or nullopt.
  std::optional<std::string> missing_config() const;

  // `cg`: the value, or "set"/"unset" for a secret; 8 "not supported: config name" if unknown.
  result<std::string> config_get(std::string_view name) const;
  // `cs`: 8 unknown name, 5 too long, 7 identity locked by setup mode, 6 invalid value.
  result<write_state> config_set(std::string_view name, std::string value, saved_callback saved);
  // `cs` of id/key in st/ss/sn parts: 8 unknown name, 4 for any other name; ss/sn without st 6; the last part as
  // config_set.
  result<write_state> config_set_part(std::string_view name, chunk_kind kind, std::string_view part,
                                      saved_callback saved);

  // `sign` st/ss/sn: the OEM provisioning private key (kept in memory only). On the last part: 6 "invalid: key"
  // if it is not an RSA private key; else the in-field provisioning signature is built.
  result<accepted> sign_part(chunk_kind kind, std::string_view part);
  // The signature over the current oem/id, oem/hwid, oem/keyid (rebuilt if they changed since `sn`); nullopt
  // without a sign key.
  std::optional<provisioning_signature> provisioning() const;

  // `setup_mode`: enable (passphrase rules of SPEC §3: 6 wrong passphrase, 1 missing), disable, show.
  result<write_state> setup_mode_enable(std::optional<std::string> passphrase, saved_callback saved);
  result<write_state> setup_mode_disable(saved_callback saved);
  bool setup_mode_enabled() const;

  // `version`: "APCA-1.0 ADA-2.4.1 BUILD-..."; with "fota", the module firmware version first.
  std::string agent_version() const;
  std::string firmware_version() const;

  // `reset`: config back to the factory image (factory/<name> keys), setup mode kept, the service stops.
  result<write_state> reset(saved_callback saved);

  // ---- cloud requests, validated by the table ----
  result<accepted> enable();
  result<accepted> disable(const disable_request& request);
  result<accepted> listen(const listen_request& request);
  result<accepted> send_property(const property_send& request);
  result<accepted> get_property(const property_get& request);
  // Information lines to print before OK (the mcu_mode query), or the error.
  result<std::vector<std::string>> ota(const ota_request& request);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace apca
