#pragma once
// An ota_manager wired to fakes for the OTA harnesses: range fetches and NV stores wait for the input to complete
// them; URCs are kept for the harness to check.
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "apca/ota_manager.hpp"

namespace fuzz {

class fake_ota_cloud : public apca::ota_cloud {
 public:
  bool is_online = true;

  bool online() const override { return is_online; }
  void fetch_range(const apca::image_location&, std::uint64_t, std::uint64_t length,
                   apca::fetch_done done) override {
    fetches_.push_back({length, std::move(done)});
  }
  // Locations (non-local sources) are answered at once with an image host URL.
  void fetch_location(const std::string&, apca::fetch_done done) override {
    done(std::string(R"({"ota":{"url":"https://images.example/images/1/token.bin","source":"remote"}})"));
  }
  void report_command_result(const std::string&, int) override {}
  void report_ota_failed(const std::string&, int) override {}

  // Answers the oldest fetch (bytes, the link lost, or the image refused); false when none is waiting.
  bool answer_next(apca::fetch_result outcome) {
    if (fetches_.empty()) return false;
    auto next = std::move(fetches_.front());
    fetches_.pop_front();
    next.second(std::move(outcome));
    return true;
  }
  // The length the oldest fetch asked for (0 when none waits).
  std::uint64_t next_length() const { return fetches_.empty() ? 0 : fetches_.front().first; }

 private:
  std::deque<std::pair<std::uint64_t, apca::fetch_done>> fetches_;
};

class urc_log : public apca::urc_sink {
 public:
  std::vector<std::string> lines;
  void urc(std::string line) override { lines.push_back(std::move(line)); }
};

struct ota_rig {
  urc_log urcs;
  fake_ota_cloud cloud;
  config_store::nv_image nv;
  std::deque<std::pair<std::map<std::string, std::string>, std::function<void(bool)>>> stores;
  bool reboot_asked = false;
  apca::ota_manager manager{urcs, cloud, effects(), nv};

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
