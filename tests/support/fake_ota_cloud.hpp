#pragma once
// The one fake of apca::ota_cloud (what ota_manager fetches images through): range fetches and location asks wait
// until the caller answers them; command results and OTA failures are recorded. Misuse throws std::logic_error.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "apca/ota_manager.hpp"

namespace test_support {

struct fetch_call {
  apca::image_location where;
  std::uint64_t offset, length;
  apca::fetch_done done;
};

class fake_ota_cloud : public apca::ota_cloud {
 public:
  bool is_online = true;
  std::deque<fetch_call> fetches;  // oldest first
  std::deque<std::pair<std::string, apca::fetch_done>> location_asks;
  std::optional<std::string> location_answer;  // when set, every location ask is answered at once with it
  std::vector<std::pair<std::string, int>> results;
  std::vector<std::pair<std::string, int>> failures;

  bool online() const override { return is_online; }
  void fetch_range(const apca::image_location& where, std::uint64_t offset, std::uint64_t length,
                   apca::fetch_done done) override;
  void fetch_location(const std::string& path, apca::fetch_done done) override;
  void report_command_result(const std::string& uri, int status) override { results.emplace_back(uri, status); }
  void report_ota_failed(const std::string& type, int status) override { failures.emplace_back(type, status); }

  // Answers the oldest fetch (bytes, the link lost, the image refused); false when none waits.
  bool answer_next(apca::fetch_result outcome);
  // Serves the oldest fetch from `image`; throws when none waits.
  void serve_one(const std::string& image);
  // Serves every fetch from `image` until none is left.
  void serve(const std::string& image);
  // Refuses the one fetch waiting (the image's host said no, the link still up); throws unless exactly one waits.
  void refuse_one(const std::string& why);
};

}  // namespace test_support
