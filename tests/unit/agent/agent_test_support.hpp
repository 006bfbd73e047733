#pragma once
// Fakes for the agent's ports (timers fired by the test, a settable clock, NV saves completed by the test) and
// a helper that feeds the same input split at every offset.
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "agent/at_engine.hpp"
#include "agent/v250_commands.hpp"
#include "apca/ports.hpp"

namespace agent_test {

// Records armed timers; the test fires them by hand.
class fake_timers : public apca::timer_port {
 public:
  void start_timer(apca::timer_id id, std::chrono::milliseconds after) override { armed_[id] = after; }
  void cancel_timer(apca::timer_id id) override { armed_.erase(id); }

  bool armed(apca::timer_id id) const { return armed_.count(id) != 0; }
  std::chrono::milliseconds delay(apca::timer_id id) const { return armed_.at(id); }
  // Disarms `id` (it must be armed) and lets `target` handle its expiry.
  template <class Target>
  void fire(apca::timer_id id, Target& target) {
    REQUIRE(armed(id));
    armed_.erase(id);
    target.on_timer(id);
  }

 private:
  std::map<apca::timer_id, std::chrono::milliseconds> armed_;
};

class fake_clock : public apca::clock_port {
 public:
  std::int64_t now = 1700000000;  // 2023-11-14 22:13:20 UTC
  std::int64_t unix_seconds() override { return now; }
};

// NV saves: durable at once (auto_complete) or when the test says so.
class fake_nv : public apca::nv_port {
 public:
  bool auto_complete = true;
  config_store::nv_image saved;
  int saves = 0;

  void save(const config_store::nv_image& image, std::function<void(bool ok)> done) override {
    ++saves;
    if (auto_complete) {
      saved = image;
      done(true);
      return;
    }
    pending_.push_back({image, std::move(done)});
  }
  std::size_t pending() const { return pending_.size(); }
  void complete_next(bool ok) {
    REQUIRE(!pending_.empty());
    auto next = std::move(pending_.front());
    pending_.pop_front();
    if (ok) saved = next.first;
    next.second(ok);
  }

 private:
  std::deque<std::pair<config_store::nv_image, std::function<void(bool)>>> pending_;
};

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
