#pragma once
// An ota_manager on the shared fakes (tests/support/) for the OTA harnesses: range fetches and NV stores wait for
// the input to complete them; a non-local image's location is answered at once; URCs are kept for the harness to
// check.
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "apca/ota_manager.hpp"
#include "tests/support/fake_ota_cloud.hpp"
#include "tests/support/fake_ports.hpp"

namespace fuzz {

struct ota_rig {
  test_support::recorded_urcs urcs;
  test_support::fake_ota_cloud cloud;
  config_store::nv_image nv;
  std::deque<std::pair<std::map<std::string, std::string>, std::function<void(bool)>>> stores;
  bool reboot_asked = false;
  apca::ota_manager manager{urcs, cloud, effects(), nv};

  ota_rig() {
    cloud.location_answer = R"({"ota":{"url":"https://images.example/images/1/token.bin","source":"remote"}})";
  }

  apca::ota_effects effects() {
    return apca::ota_effects{
        [this](std::map<std::string, std::string> values, std::function<void(bool)> done) {
          stores.emplace_back(std::move(values), std::move(done));
        },
        [this] { reboot_asked = true; },
        [this] { return nv.get("fw/version").value_or("LE11B01SIM7600M11"); }};
  }

  // Completes the oldest NV store (applied to `nv` when ok).
  bool complete_store(bool ok) {
    if (stores.empty()) return false;
    auto next = std::move(stores.front());
    stores.pop_front();
    if (ok) {
      for (auto& [key, value] : next.first) nv.values[key] = value;
    }
    next.second(ok);
    return true;
  }
};

}  // namespace fuzz
