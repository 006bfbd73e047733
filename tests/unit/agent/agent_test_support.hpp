#pragma once
// The agent's test helpers: a V.250 profile store and line engine, and a helper that feeds the same input split
// at every offset. The ports' fakes (timers, clock, NV) are the shared ones in tests/support/.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/at_engine.hpp"
#include "agent/v250_commands.hpp"
#include "tests/support/fake_ports.hpp"

namespace agent_test {

// A V.250 profile store whose saves the test completes (`pending`).
struct fake_profiles : agent::v250_profile_store {
  agent::v250_settings stored;
  std::function<void(bool)> pending;
  agent::v250_settings load() const override { return stored; }
  void save(const agent::v250_settings& profile, std::function<void(bool ok)> done) override {
    stored = profile;
    pending = std::move(done);
  }
};

// A line engine with the V.250 commands on a table the test adds rows to; echo off unless `echo`.
struct v250_engine_rig {
  agent::command_table table;
  agent::at_engine engine{table};
  fake_profiles profiles;

  explicit v250_engine_rig(bool echo = false) {
    agent::add_v250_commands(table, engine, profiles);
    if (!echo) feed("ATE0\r");
  }
  std::string feed(std::string_view bytes) {
    engine.feed(bytes);
    return engine.take_output();
  }
};

// Runs `run(pieces)` with `input` whole, split in two at every offset, and byte by byte; every run must give
// the same output.
inline std::string same_output_at_every_split(std::string_view input,
                                              const std::function<std::string(std::vector<std::string_view>)>& run) {
  std::string whole = run({input});
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    INFO("split at " << cut);
    REQUIRE(run({input.substr(0, cut), input.substr(cut)}) == whole);
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
  REQUIRE(run(bytes) == whole);
  return whole;
}

}  // namespace agent_test
