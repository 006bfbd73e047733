#pragma once
// service_core: ads-sim's request handling, sans-I/O — `handle(request, now) -> outcome` over the store. Requests
// go through one router (router.hpp) whose routes each area registers: the device protocol (PROTOCOL.md §1–2), the
// admin API (§3), OTA and the console's API; `take_woken_devices()` says whose queue changed (for the ANS notifier).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/api_result.hpp"
#include "ads_sim/console/console_api.hpp"
#include "ads_sim/http_message.hpp"
#include "ads_sim/outcome.hpp"
#include "ads_sim/store/database_url.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim {

struct service_state;

// Where devices reach the service's parts; what GET /dsns and ota.json name (set by the I/O layer once bound).
struct device_endpoints {
  std::string service_url;  // "https://HOST:PORT" of the device API: ota.json's `local` URLs
  std::string ans_host;     // the ANS server (UDP)
  std::uint16_t ans_port = 0;
  std::string image_url;    // "https://HOST:PORT" of the image host: where `remote` OTA downloads go
  bool remote_images = false;  // ota.json offers `source` "remote" (via the image host) instead of "local"
};

struct created_oem {
  std::string oem_id;
  std::string name;
  std::string email;
  std::string secret;  // returned once, to whoever created the OEM
};

struct factory_device {
  std::string dsn;
  std::int64_t key = 0;
  std::string public_key;  // base64 SPKI body: what the module stores as id/key
};

// Limits of the device protocol (PROTOCOL.md).
inline constexpr std::int64_t client_auth_window_secs = 300;
inline constexpr std::int64_t token_lifetime_secs = 3600;
inline constexpr std::int64_t connected_grace_secs = 60;
inline constexpr std::size_t max_batch = 16;
inline constexpr std::size_t max_string_value = 1024;
inline constexpr int max_factory_devices = 100;
inline constexpr std::size_t max_version_length = 256;

class service_core {
 public:
  // Over the SQLite store in `database_file`; ok() is false when it cannot be opened.
  service_core(const std::filesystem::path& database_file, std::string admin_token);
  // Over the store `url` names (SQLite or PostgreSQL); ok() is false when it cannot be opened.
  service_core(const database_url& url, std::string admin_token);
  service_core(std::unique_ptr<store> storage, std::string admin_token);
  ~service_core();

  bool ok() const;
  const std::string& error() const { return open_error_; }

  outcome handle(const http_request& request, clock_time now, prepared_inputs prepared = {});

  // Devices whose queue received something since the last call: the notifier tells them.
  std::vector<std::int64_t> take_woken_devices();
  // The I/O layer reports closed connections, for the connected state.
  void connection_closed(std::uint64_t connection_id);

  // In-process API (what the admin routes use too).
  api_result<created_oem> create_oem(std::string_view oem_id, std::string_view name, std::string_view email,
                                     clock_time now);
  std::optional<oem_record> find_oem(std::string_view oem_id);
  api_result<provision_key_record> add_provision_key(std::string_view oem_id, std::string_view public_key,
                                                     clock_time now);
  // One device per key (1..max_factory_devices keys; see fresh_keys).
  api_result<std::vector<factory_device>> create_factory_devices(std::string_view oem_id, std::string_view model,
                                                                 std::vector<ads_client::rsa_key> keys,
                                                                 clock_time now);
  std::vector<device_record> devices_of(std::string_view oem_id, std::string_view model);
  // Sets a to-device property (creating it), records the datapoint (with `metadata_json`, an object's text) and
  // queues it for the device.
  api_result<property_record> set_to_device_property(std::string_view dsn, std::string_view name,
                                                     const nlohmann::json& value,
                                                     std::optional<std::string_view> type_name, clock_time now,
                                                     std::string_view metadata_json = "{}");
  // OTA: images, jobs over a fixed set of devices, and starting a job (queues an ota.json command per device).
  api_result<image_record> add_image(std::string_view type, std::string_view model, std::string_view version,
                                     std::string_view bytes, clock_time now);
  // Targets every device of `oem_model`, or exactly `dsns` (when oem_model is empty).
  api_result<ota_job_record> create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                            const std::vector<std::string>& dsns, clock_time now);
  api_result<ota_job_record> start_ota_job(std::int64_t job_id, clock_time now);

  // Templates (PROTOCOL.md §3): `properties` is the admin API's list of {name, base_type, direction}.
  api_result<std::vector<template_property>> set_template(std::string_view oem_id, std::string_view model,
                                                          const nlohmann::json& properties);
  void set_endpoints(device_endpoints endpoints);
  // The device a DSN names and its ANS cipher key, for the notifier.
  std::optional<std::pair<std::int64_t, std::string>> ans_identity(std::string_view dsn);

  bool connected(const device_record& device, clock_time now) const;
  // Listening: the service can reach the device now, through a live ANS registration held by any replica (the
  // record's listening_until_ms, read from the store).
  bool listening(const device_record& device, clock_time now) const;
  // The notifier heard the device (a registration or keep-alive: reachable for two keep-alive periods more), or it
  // unregistered: written to the store, for every replica (a store call: on a worker thread, never the I/O loop).
  void set_notified(std::int64_t device_key, bool registered, clock_time now);

  store& storage();
  // What the core remembers besides the store, for its route handlers (service_state.hpp).
  service_state& state() { return *state_; }
  // The FOTA console (note §5.1), mounted at /console/ and /api/v1/console/.
  console::console_api& console() { return console_; }
  nlohmann::json device_json(const device_record& device, clock_time now) const;

 private:
  service_core(std::pair<std::unique_ptr<store>, std::string> opened, std::string admin_token);

  std::unique_ptr<service_state> state_;
  std::string open_error_;  // why the store could not be opened
  console::console_api console_;
};

// Helpers shared by the core, the tests and the daemon.
std::string iso8601(clock_time time);
std::int64_t unix_seconds(clock_time time);
std::string random_hex(std::size_t bytes);
// `count` new 2048-bit key pairs, as devices get them; fewer once `give_up` is set. Slow (about 0.3 s a key):
// never on the I/O thread or under the core's lock.
std::vector<ads_client::rsa_key> fresh_keys(int count, const std::atomic<bool>* give_up = nullptr);
// Checks a JSON value against a base type; returns it normalised (booleans as 0/1) or nullopt.
std::optional<nlohmann::json> normalised_value(base_type type, const nlohmann::json& value);

}  // namespace ads_sim
