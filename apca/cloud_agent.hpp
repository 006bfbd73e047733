#pragma once
// cloud_agent: what the host's cloud commands mean (SPEC §3): enable/RDY, disable with drain and rewake, listen
// with up/down URCs, property sends with their status URCs, gets, to-device `p` URCs, the status code while
// enabled, and the OTA commands. It drives a cloud_session and an ota_manager; sans-I/O.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "apca/cloud_port.hpp"
#include "apca/cloud_session.hpp"
#include "apca/host_requests.hpp"
#include "apca/link_state.hpp"
#include "apca/ota_manager.hpp"
#include "apca/ports.hpp"
#include "apca/result.hpp"
#include "apca/service.hpp"
#include "config_store/nv_image.hpp"

namespace apca {

class cloud_agent final : cloud_session::listener, ota_cloud {
 public:
  // What the service lends the agent: its ports, NV, the firmware, power and the status report.
  class host {
   public:
    virtual ~host() = default;
    virtual urc_sink& urcs() = 0;
    virtual timer_port& timers() = 0;
    virtual clock_port& clock() = 0;
    virtual cloud_port& cloud() = 0;
    virtual const config_store::nv_image& nv() const = 0;
    // Merges `values` into NV (an empty value erases the key); `done(ok)` once durable.
    virtual void store(std::map<std::string, std::string> values, std::function<void(bool ok)> done) = 0;
    virtual std::optional<provisioning_signature> provisioning() const = 0;
    virtual std::string firmware_version() const = 0;
    virtual void reboot() = 0;          // a module OTA was applied
    virtual void status_changed() = 0;  // the service re-evaluates and reports the status
    virtual double random01() = 0;      // backoff jitter
  };

  explicit cloud_agent(host& host);
  ~cloud_agent() override;

  // `blocking_reason`: what stops a connection now (0 none, 1 conf, 2 time, 3 net), from the service.
  result<accepted> enable(int blocking_reason);
  result<accepted> disable(const disable_request& request);
  result<accepted> listen(const listen_request& request);
  result<accepted> send_property(const property_send& request, const std::optional<std::string>& assembled);
  result<accepted> get_property(const property_get& request);
  result<std::vector<std::string>> ota(const ota_request& request);

  // The network or the service changed (data call, clock, start/stop): connect or drop accordingly.
  void conditions_changed(bool may_connect);
  void stop();                                          // the service stopped: drop everything
  void power_cycle(const config_store::nv_image& nv);  // the module rebooted
  void on_timer(timer_id id);
  void host_output_drained();
  bool awaits_host_output_drained() const;  // OTA part lines wait for the host's port to take what it was given
  void template_version_changed(const std::string& version);

  bool enabled() const { return link_enabled(state_); }
  bool connected() const { return session_.online(); }
  // Busy (code 2) while the cloud's request queue is full: a new s or g waits for the host to send it again.
  result<accepted> room_for_request() const;
  // The status while enabled: 0 connected, 1 listening, 3 error with its reason, 15 connecting.
  connection_status status() const;

 private:
  // cloud_session::listener
  void on_online() override;
  void on_offline(const ada_error& why, bool refused) override;
  void on_provisioned(const std::string& dsn, const std::string& public_key,
                      std::function<void(bool stored)> stored) override;
  void on_send_status(const std::string& name, int status_code) override;
  void on_get_result(const std::string& name, const result<ads_client::device_api::property_update>& got) override;
  void on_to_device(const ads_client::device_api::property_update& update) override;
  void on_command(const ads_client::device_api::command& command) override;
  // ota_cloud
  bool online() const override;
  void fetch_range(const image_location& where, std::uint64_t offset, std::uint64_t length,
                   fetch_done done) override;
  void fetch_location(const std::string& path, fetch_done done) override;
  void report_command_result(const std::string& uri, int status) override;
  void report_ota_failed(const std::string& type, int status) override;

  cloud_credentials credentials() const;
  // Moves the link and says what the move means to the host (RDY/rewake, the first error, down, disable ok).
  void step(link_event event, const ada_error* why = nullptr);
  void say_listening(const char* word);
  void finish_disable();  // "disable","ok": the connection closed, the host told

  host& host_;
  cloud_session session_;
  ota_manager ota_;
  link_state state_ = link_state::disabled;
  // The service's conditions (data call, clock, config, started): an input, not the link's state.
  bool may_connect_ = false;
  std::optional<std::string> listening_as_;  // the letter the host listened with ("l", "I", ...)
  std::map<std::string, std::map<std::string, std::string>> pending_metadata_;  // by property name
};

}  // namespace apca
