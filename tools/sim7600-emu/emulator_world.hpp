#pragma once
// emulator_world: the control API's world in this daemon — the module core, its cloud transport and the power
// switch. The radio verbs are left to the world model (control_world's defaults refuse them).
#include <functional>

#include "agent/module_core.hpp"
#include "tools/sim7600-emu/cloud_transport.hpp"
#include "tools/sim7600-emu/control_verbs.hpp"

namespace sim7600_emu {

class emulator_world final : public sim7600_control::control_world {
 public:
  struct hooks {
    std::function<agent::module_core*()> module;  // null while the power is off
    cloud_transport* cloud = nullptr;
    std::function<void(std::chrono::milliseconds off)> power_cut;
  };
  explicit emulator_world(hooks hooks) : hooks_(std::move(hooks)) {}

  sim7600_control::json state() override;
  sim7600_control::verb_outcome reboot() override;
  sim7600_control::verb_outcome power_cut(std::chrono::milliseconds off) override;
  sim7600_control::verb_outcome cloud(sim7600_control::cloud_fault fault, std::chrono::milliseconds latency) override;
  sim7600_control::verb_outcome busy(bool on) override;
  sim7600_control::verb_outcome drop_data_call(std::optional<int> cid) override;

 private:
  hooks hooks_;
};

}  // namespace sim7600_emu
