#include "emulator/emulator_world.hpp"

#include "agent/radio_world.hpp"
#include "apca/service.hpp"

namespace sim7600_emu {

using sim7600_control::json;
using sim7600_control::verb_outcome;

verb_outcome emulator_world::powered_off() { return verb_outcome::refused("the module is powered off"); }

json emulator_world::state() {
  json state = {{"powered", false}};
  if (agent::module_core* module = hooks_.module()) {
    const apca::connection_status status = module->service().current_status();
    state["powered"] = true;
    state["data_call"] = module->data_call_up();
    state["world"] = world_state(module->world());
    state["call"] = call_state(module->call());
    state["gnss"] = gnss_state(*module);
    state["ada"] = {{"started", module->service().started()}, {"status", status.code}, {"reason", status.reason}};
  }
  if (hooks_.cloud) {
    const char* fault = "none";
    if (hooks_.cloud->current_fault() == cloud_transport::fault::blackhole) fault = "blackhole";
    if (hooks_.cloud->current_fault() == cloud_transport::fault::latency) fault = "latency";
    state["cloud"] = {{"fault", fault}, {"latency_ms", hooks_.cloud->latency().count()}};
  }
  return state;
}

verb_outcome emulator_world::reboot() {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  module->reboot();
  return verb_outcome::done();
}

verb_outcome emulator_world::power_cut(std::chrono::milliseconds off) {
  if (hooks_.module() == nullptr) return powered_off();
  hooks_.power_cut(off);
  return verb_outcome::done({{"off_ms", off.count()}});
}

verb_outcome emulator_world::cloud(sim7600_control::cloud_fault fault, std::chrono::milliseconds latency) {
  if (hooks_.cloud == nullptr) return verb_outcome::refused("no device service configured");
  switch (fault) {
    case sim7600_control::cloud_fault::cut: hooks_.cloud->disconnect(); break;
    case sim7600_control::cloud_fault::blackhole: hooks_.cloud->set_fault(cloud_transport::fault::blackhole); break;
    case sim7600_control::cloud_fault::latency:
      hooks_.cloud->set_fault(cloud_transport::fault::latency, latency);
      break;
    case sim7600_control::cloud_fault::restore: hooks_.cloud->set_fault(cloud_transport::fault::none); break;
  }
  return verb_outcome::done();
}

verb_outcome emulator_world::busy(bool on) {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  module->service().set_busy(on);
  return verb_outcome::done();
}

verb_outcome emulator_world::drop_data_call(std::optional<int> cid) {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  bool any_up = false;
  for (const auto& [number, context] : module->world().packet().contexts()) {
    any_up = any_up || ((!cid || number == *cid) && context.state == agent::pdp_context::call::up);
  }
  if (!any_up) {
    return verb_outcome::refused(cid ? "context " + std::to_string(*cid) + " has no data call" : "no data call is up");
  }
  module->world_event([cid](agent::radio_world& world) { return world.data_call_drop(cid); });
  return verb_outcome::done();
}

verb_outcome emulator_world::world_event(const std::function<agent::world_effects(agent::radio_world&)>& event) {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  module->world_event(event);
  return verb_outcome::done();
}

}  // namespace sim7600_emu
