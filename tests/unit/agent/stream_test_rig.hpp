#pragma once
// A module_core whose SSL and HTTP(S) services reach a fake stream port: the test sees what they ask and answers
// by stream id.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agent/module_core.hpp"
#include "agent/stream_port.hpp"
#include "agent_test_support.hpp"

namespace agent_test {

// Records what the services ask of the I/O layer; the test answers by id.
struct fake_streams : agent::stream_port {
  struct opened {
    agent::stream_id id;
    agent::socket_endpoint remote;
    std::optional<agent::tls_setup> tls;
  };
  std::vector<opened> opens;
  std::vector<std::pair<agent::stream_id, std::string>> sends;
  std::vector<agent::stream_id> closes;
  std::vector<agent::stream_id> resumed;

  void open(agent::stream_id id, agent::socket_endpoint remote, std::optional<agent::tls_setup> tls,
            std::chrono::milliseconds) override {
    opens.push_back({id, std::move(remote), std::move(tls)});
  }
  void send(agent::stream_id id, std::string bytes) override { sends.emplace_back(id, std::move(bytes)); }
  void close(agent::stream_id id) override { closes.push_back(id); }
  void resume_receiving(agent::stream_id id) override { resumed.push_back(id); }
};

struct stream_rig {
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  test_support::fake_nv nv{test_support::nv_saves::at_once};
  fake_streams io;
  agent::module_core module;

  stream_rig() : module(options(), timers, clock, nv, {}, nullptr, nullptr, &io) {
    module.power_on();
    timers.fire(apca::timer_id::boot, module);
    module.take_output();
    REQUIRE(feed("ATE0\r") == "ATE0\r\r\nOK\r\n");
  }
  static agent::module_options options() {
    agent::module_options options;
    options.network_auto = true;
    return options;
  }
  std::string feed(std::string_view bytes) {
    module.feed(bytes);
    return module.take_output();
  }
  std::string output() { return module.take_output(); }
  agent::stream_events& streams() { return module.streams(); }
};

}  // namespace agent_test
