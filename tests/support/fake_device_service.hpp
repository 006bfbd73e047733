#pragma once
// A tiny device service behind the fake cloud port, for tests that run the real agent against "the cloud": one
// device (key 12), its properties and datapoints, images served in ranges, and a command queue that commands.json
// empties at once (as Ayla's service and ads-sim answer it: no long poll). Requests are answered only when the
// test calls run(), so every step is deterministic.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/fake_cloud.hpp"

namespace test_support {

struct fake_device_service : fake_cloud {
  std::map<std::string, nlohmann::json> properties;  // name -> {"base_type", "value"}
  std::vector<nlohmann::json> datapoints;
  nlohmann::json queued = nlohmann::json::array();       // to-device property updates waiting for a poll
  nlohmann::json queued_cmds = nlohmann::json::array();  // commands waiting for a poll
  // What makes the module ask: these tests run without ANS, so the rig fires the module's fallback poll.
  std::function<void()> poll_due;
  std::map<std::string, std::string> images;            // path -> bytes, served in ranges
  std::map<std::string, nlohmann::json> locations;      // path -> a non-local image's location answer
  bool refuse_auth = false;
  std::optional<std::string> transport_failure;  // every request fails so while set

  // "<METHOD> <target>[ <body>]" of every request, in the order they were made.
  std::vector<std::string> request_lines() const;

  static ads_client::http_response answer(int status, nlohmann::json body = nullptr);
  ads_client::http_outcome handle(const ads_client::http_request& request);
  static ads_client::http_response range_of(const std::string& bytes, const ads_client::http_request& request);

  // Answers everything pending; commands.json at once with what is queued.
  void run();
  // The cloud changes a to-device property; the module's next poll brings it.
  void set_to_device(const std::string& name, const std::string& type, nlohmann::json value);
  void ask_module();
  // An OTA job reaches the device: its ota.json command (data as JSON text, as ads-sim and Ayla send it).
  void offer_ota(int id, nlohmann::json ota);
  // The same for `bytes` served here at /devices/12/images/<id>.bin (source "local"); `type` "module" or "host_mcu".
  void offer_image(int id, const std::string& type, const std::string& version, const std::string& bytes);
  // The service goes away: the module's next request fails.
  void crash(const std::string& why);
};

}  // namespace test_support
