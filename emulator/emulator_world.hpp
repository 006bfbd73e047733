#pragma once
// emulator_world: the control API's world in this daemon — the module core (its radio world: radio_verbs.cpp),
// its cloud transport and the power switch.
#include <functional>

#include "agent/module_core.hpp"
#include "agent/radio_world.hpp"
#include "apca/ports.hpp"
#include "emulator/cloud_transport.hpp"
#include "control/control_verbs.hpp"

namespace sim7600_emu {

class emulator_world final : public sim7600_control::control_world {
 public:
  struct hooks {
    std::function<agent::module_core*()> module;  // null while the power is off
    cloud_transport* cloud = nullptr;
    std::function<void(std::chrono::milliseconds off)> power_cut;
    apca::clock_port* clock = nullptr;  // the host's UTC: NITZ and SMS time stamps are relative to it
  };
  explicit emulator_world(hooks hooks) : hooks_(std::move(hooks)) {}

  sim7600_control::json state() override;
  sim7600_control::verb_outcome reboot() override;
  sim7600_control::verb_outcome power_cut(std::chrono::milliseconds off) override;
  sim7600_control::verb_outcome cloud(sim7600_control::cloud_fault fault, std::chrono::milliseconds latency) override;
  sim7600_control::verb_outcome busy(bool on) override;
  sim7600_control::verb_outcome drop_data_call(std::optional<int> cid) override;

  // ---- the radio world (radio_verbs.cpp) ----
  sim7600_control::verb_outcome signal(int rssi, int ber) override;
  sim7600_control::verb_outcome coverage(bool lost) override;
  sim7600_control::verb_outcome registration(const std::string& domain, int stat) override;
  sim7600_control::verb_outcome network_operator(const std::string& name, const std::string& mccmnc,
                                                 std::optional<int> act) override;
  sim7600_control::verb_outcome sim(const std::string& action, const std::optional<std::string>& pin) override;
  sim7600_control::verb_outcome clock_skew(long seconds) override;
  sim7600_control::verb_outcome network_time(const std::string& iso8601, const std::optional<std::string>& zone) override;
  sim7600_control::verb_outcome sms_deliver(const std::string& from, const std::string& text) override;
  sim7600_control::verb_outcome sms_sent() override;
  sim7600_control::verb_outcome battery(int millivolts) override;
  sim7600_control::verb_outcome temperature(int celsius) override;
  sim7600_control::verb_outcome cell_position(const std::string& latitude, const std::string& longitude,
                                              std::optional<int> accuracy_m) override;

  // ---- voice calls and USSD, the network's side (call_verbs.cpp) ----
  sim7600_control::verb_outcome ussd(const std::string& action, const std::string& code,
                                     const std::string& text) override;
  sim7600_control::verb_outcome call(const std::string& action, const std::optional<std::string>& from) override;
  // ---- the GNSS sky (gnss_verbs.cpp) ----
  sim7600_control::verb_outcome gnss_fix(double latitude, double longitude, std::optional<double> altitude) override;
  sim7600_control::verb_outcome gnss_route(const std::string& gpx_file) override;
  sim7600_control::verb_outcome gnss_lost() override;

 private:
  static sim7600_control::verb_outcome powered_off();
  // Runs `event` on the powered module's world (its URCs go to the host); refused while the power is off.
  sim7600_control::verb_outcome world_event(const std::function<agent::world_effects(agent::radio_world&)>& event);
  // The radio world as `state` shows it.
  sim7600_control::json world_state(const agent::radio_world& world) const;
  // The voice call and the USSD service as `state` shows them.
  static sim7600_control::json call_state(const agent::voice_call& call);
  static sim7600_control::json ussd_state(const agent::ussd_network& network);
  // The sky, the antenna and the receiver's session as `state` shows them.
  sim7600_control::json gnss_state(const agent::module_core& module) const;

  hooks hooks_;
};

}  // namespace sim7600_emu
