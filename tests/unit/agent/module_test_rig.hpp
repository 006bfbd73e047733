#pragma once
// A module_core on fake ports, booted on request, with helpers that feed it and fire its timers.
#include <memory>
#include <string>
#include <string_view>

#include "agent/module_core.hpp"
#include "agent_test_support.hpp"

namespace agent_test {

inline constexpr const char* boot_banner = "\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n";

struct module_rig {
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  test_support::fake_nv nv{test_support::nv_saves::at_once};
  agent::module_core module;

  explicit module_rig(config_store::nv_image stored = {})
      : module(agent::module_options{}, timers, clock, nv, std::move(stored)) {}

  // Powered on and booted, banner consumed.
  static std::unique_ptr<module_rig> booted(config_store::nv_image stored = {}) {
    auto rig = std::make_unique<module_rig>(std::move(stored));
    rig->module.power_on();
    REQUIRE(rig->fire(apca::timer_id::boot) == boot_banner);
    return rig;
  }

  // Booted, then set up by one command line (echo off at least), its echo and OK consumed.
  static std::unique_ptr<module_rig> quiet(std::string_view setup = "ATE0") {
    auto rig = booted();
    const std::string line = std::string(setup) + "\r";
    REQUIRE(rig->feed(line) == line + "\r\nOK\r\n");
    return rig;
  }

  std::string feed(std::string_view bytes) {
    module.feed(bytes);
    return module.take_output();
  }
  std::string fire(apca::timer_id id) {
    timers.fire(id, module);
    return module.take_output();
  }
};

// What the host reads: an information line and OK, a URC, OK alone, ERROR (the command families' tests share them).
inline std::string ok(const std::string& line) { return "\r\n" + line + "\r\n\r\nOK\r\n"; }
inline std::string urc(const std::string& line) { return "\r\n" + line + "\r\n"; }
inline constexpr const char* just_ok = "\r\nOK\r\n";
inline constexpr const char* error = "\r\nERROR\r\n";

}  // namespace agent_test
