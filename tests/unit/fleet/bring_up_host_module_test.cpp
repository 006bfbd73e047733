// The built-in host against the real module core (agent::module_core, network auto) and a fake device service:
// what each writes goes to the other, and the module's timers and the host's wakes run on one simulated clock.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "../apca/test_keys.hpp"
#include "agent/module_core.hpp"
#include "apca/ota_manager.hpp"
#include "apca/service.hpp"
#include "host_rig.hpp"
#include "tests/support/fake_device_service.hpp"
#include "tests/support/fake_ports.hpp"

using namespace fleet_test;

namespace {

// The module's timers on the simulated clock: each is due at the time it was armed plus its delay.
struct simulated_timers : apca::timer_port {
  explicit simulated_timers(const milliseconds& now) : now(now) {}
  const milliseconds& now;
  std::map<apca::timer_id, milliseconds> due;
  void start_timer(apca::timer_id id, std::chrono::milliseconds after) override { due[id] = now + after; }
  void cancel_timer(apca::timer_id id) override { due.erase(id); }
};

using apca_test::factory_image;

agent::module_options network_auto() {
  agent::module_options options;
  options.network_auto = true;  // the data call and the clock come up by themselves at every boot
  return options;
}

struct module_and_host {
  milliseconds now{0};
  simulated_timers timers{now};
  test_support::fake_clock clock;
  test_support::fake_nv nv{test_support::nv_saves::at_once};
  test_support::fake_device_service cloud;
  agent::module_core module{network_auto(), timers, clock, nv, factory_image(), &cloud};
  fleet::group behaviour;
  fleet::bring_up_host host;
  std::string transcript;  // what the module wrote

  explicit module_and_host(fleet::group group) : behaviour(std::move(group)), host(behaviour, 42) {
    cloud.poll_due = [this] {
      if (timers.due.erase(apca::timer_id::service_poll)) module.on_timer(apca::timer_id::service_poll);
    };
    module.power_on();
  }

  // Carries bytes both ways and answers the cloud until all three are quiet.
  void exchange() {
    for (;;) {
      cloud.run();
      if (std::string out = module.take_output(); !out.empty()) {
        transcript += out;
        host.on_output(out, now);
        module.output_drained();
        continue;
      }
      if (std::string in = host.take_input(); !in.empty()) {
        module.feed(in);
        continue;
      }
      if (cloud.requests.empty()) return;
    }
  }

  // Runs until `done()`, or false when nothing more is to happen before `limit`.
  bool run_until(const std::function<bool()>& done, milliseconds limit) {
    for (;;) {
      exchange();
      if (done()) return true;
      std::optional<milliseconds> next = host.next_wake();
      for (const auto& [id, at] : timers.due) {
        if (!next || at < *next) next = at;
      }
      if (!next || *next > limit) return false;
      now = std::max(now, *next);
      clock.now = 1'700'000'000 + now.count() / 1000;
      for (auto timer = timers.due.begin(); timer != timers.due.end();) {
        if (timer->second > now) {
          ++timer;
          continue;
        }
        const apca::timer_id id = timer->first;
        timers.due.erase(timer);
        module.on_timer(id);
        timer = timers.due.begin();  // firing may arm or cancel others
      }
      host.on_time(now);
    }
  }

  bool listening() { return run_until([this] { return host.phase() == host_phase::listening; }, now + 5min); }
};

}  // namespace

TEST_CASE("with the module core: boot, start, enable, l with the module's echo, then sends the cloud stores") {
  fleet::group group;
  group.sends.push_back(
      fleet::property_send{.name = "n", .type = "i", .values = {"1", "2"}, .every = 10s, .jitter = 0.1});
  group.read_back = {"Blue_LED"};
  module_and_host f(group);
  REQUIRE(f.listening());
  CHECK(f.transcript.find("AT+ADA=\"start\"\r\r\nOK\r\n\r\n+ADA: \"start\",\"done\"\r\n") != std::string::npos);
  CHECK(f.transcript.find("\r\n+ADA: \"l\",\"up\"\r\n") != std::string::npos);
  CHECK(f.host.counters().retries == 0);
  CHECK(f.host.module_ota().state == fleet::ota_state::none);

  REQUIRE(f.run_until([&f] { return f.host.counters().properties_acked == 3; }, f.now + 1min));
  REQUIRE(f.cloud.datapoints.size() == 3);
  CHECK(f.cloud.datapoints[0]["value"] == 1);
  CHECK(f.cloud.datapoints[1]["value"] == 2);
  CHECK(f.cloud.datapoints[2]["value"] == 1);

  f.cloud.set_to_device("Blue_LED", "boolean", true);
  REQUIRE(f.run_until([&f] { return f.host.counters().to_device_read == 1; }, f.now + 1min));
  CHECK(f.host.read_back_values().at("Blue_LED") == "1");
}

TEST_CASE("with the module core: a reboot while listening (AT+CRESET, a power cut) brings it up again") {
  module_and_host f({});
  REQUIRE(f.listening());
  f.host.take_events();
  const std::size_t before = f.transcript.size();
  f.module.reboot();
  REQUIRE(f.run_until([&f, before] {
    return f.transcript.find("PB DONE", before) != std::string::npos && f.host.phase() == host_phase::listening;
  }, f.now + 1min));
  std::vector<host_phase> phases;
  for (const auto& change : f.host.take_events()) phases.push_back(change.to);
  CHECK(phases == std::vector<host_phase>{host_phase::booting, host_phase::starting, host_phase::enabling,
                                          host_phase::connecting, host_phase::listening});
}

TEST_CASE("with the module core: a module OTA from notify to done, the new firmware running") {
  fleet::group group;
  group.module_ota = fleet::module_ota_taking{};
  module_and_host f(group);
  REQUIRE(f.listening());
  f.host.take_events();
  f.cloud.offer_image(7, "module", "FW 2", std::string(3 * apca::ota_fetch_bytes + 100, 'm'));
  REQUIRE(f.run_until([&f] { return f.host.module_ota().state == fleet::ota_state::succeeded; }, f.now + 5min));
  CHECK(f.host.module_ota().id == "idm7");
  CHECK(f.module.service().firmware_version() == "FW 2");
  REQUIRE(f.listening());
  std::vector<host_phase> phases;
  for (const auto& change : f.host.take_events()) phases.push_back(change.to);
  CHECK(phases == std::vector<host_phase>{host_phase::ota_downloading, host_phase::ota_applying, host_phase::booting,
                                          host_phase::starting, host_phase::enabling, host_phase::connecting,
                                          host_phase::listening});
  CHECK(f.transcript.find("AT+ADA=\"ota\",\"dl\",\"module\",\"idm7\",12800\r\r\nOK\r\n") != std::string::npos);
}

TEST_CASE("with the module core: a host OTA read in windows, its status ending the cloud's command") {
  fleet::group group;
  group.host_ota = fleet::host_ota_taking{.window = 8};
  module_and_host f(group);
  REQUIRE(f.listening());
  f.cloud.offer_image(8, "host_mcu", "mcu 2.0", "hello host firmware");
  REQUIRE(f.run_until([&f] { return f.host.host_ota().state != fleet::ota_state::in_progress &&
                                    f.host.host_ota().state != fleet::ota_state::none; },
                      f.now + 5min));
  CHECK(f.host.host_ota().state == fleet::ota_state::succeeded);
  CHECK(f.host.host_ota().id == "idh8");
  const auto requests = f.cloud.request_lines();
  CHECK(std::count_if(requests.begin(), requests.end(), [](const std::string& request) {
          return request.rfind("PUT /devices/12/commands/8.json", 0) == 0;
        }) == 1);
}
