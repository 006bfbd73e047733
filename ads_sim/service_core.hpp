#pragma once
// service_core: ads-sim's request handling, sans-I/O — `handle(request, now) -> outcome` over the store.
// The device protocol (PROTOCOL.md §1–2) and the admin API (§3) are route tables; every request is answered at
// once, and `take_woken_devices()` says whose queue changed (for the ANS notifier).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/console/console_api.hpp"
#include "ads_sim/http_message.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim {

using clock_time = std::chrono::system_clock::time_point;

// Close the connection without answering: an injected network fault (see fault_plan).
struct drop_connection {};

// Faults a test or CI script injects through the admin API (POST /api/v1/faults), to see how devices cope.
struct fault_plan {
  std::set<std::int64_t> corrupt_images;  // image downloads serve a flipped byte: the SHA-256 won't match
  struct cut {
    std::int64_t image_id = 0;
    std::int64_t at = 0;  // the download of a range holding this offset loses its connection...
    int times = 1;        // ...this many times in a row (a client's quiet retry on a fresh connection included)
  };
  std::optional<cut> cut_download;
  // The next answers of commands.json / cmds.json that carry a command are lost in flight: the command counts as
  // delivered (on that connection), and the connection goes without an answer.
  int lose_command_answers = 0;
};

// Answer later: the request needs `count` fresh RSA key pairs (about 0.3 s each). The I/O layer makes them off
// the core's lock and the I/O thread, then handles the request again with them (prepared_inputs::keys).
struct need_keys {
  int count = 0;
};

// Answer later: a console request needs a password hashed or checked (PBKDF2, about 0.3 s). The I/O layer does
// it off the core's lock with console::do_password_work, then handles the request again with the result.
struct need_password {
  console::password_work work;
};

// What the I/O layer prepared because the core asked for it.
struct prepared_inputs {
  std::vector<ads_client::rsa_key> keys;
  std::optional<console::password_result> password;
};

using outcome = std::variant<http_response, drop_connection, need_keys, need_password>;

// Where devices reach the service's parts; what GET /dsns and ota.json name (set by the I/O layer once bound).
struct device_endpoints {
  std::string service_url;  // "https://HOST:PORT" of the device API: ota.json's `local` URLs
  std::string ans_host;     // the ANS server (UDP)
  std::uint16_t ans_port = 0;
  std::string image_url;    // "https://HOST:PORT" of the image host: where `remote` OTA downloads go
  bool remote_images = false;  // ota.json offers `source` "remote" (via the image host) instead of "local"
};

// A value or an HTTP-style error (status + reason); what the in-process API and the route handlers share.
template <typename T>
struct api_result {
  std::optional<T> value;
  int status = 200;
  std::string error;

  static api_result success(T value) { return {std::move(value), 200, {}}; }
  static api_result failure(int status, std::string why) { return {std::nullopt, status, std::move(why)}; }
  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
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
  service_core(std::unique_ptr<store> storage, std::string admin_token);
  ~service_core();

  bool ok() const { return store_ != nullptr; }
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
  // Sets a to-device property (creating it), records the datapoint and queues it for the device.
  api_result<property_record> set_to_device_property(std::string_view dsn, std::string_view name,
                                                     const nlohmann::json& value,
                                                     std::optional<std::string_view> type_name, clock_time now);
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
  void set_endpoints(device_endpoints endpoints) { endpoints_ = std::move(endpoints); }
  // The device a DSN names and its ANS cipher key, for the notifier.
  std::optional<std::pair<std::int64_t, std::string>> ans_identity(std::string_view dsn);

  bool connected(const device_record& device, clock_time now) const;
  // Listening: the service can reach the device now, through a live ANS registration.
  bool listening(std::int64_t device_key, clock_time now) const;
  // The notifier heard the device (a registration or keep-alive: reachable for two keep-alive periods more), or it
  // unregistered.
  void set_notified(std::int64_t device_key, bool registered, clock_time now);

  store& storage() { return *store_; }
  // The FOTA console (note §5.1), mounted at /console/ and /api/v1/console/.
  console::console_api& console() { return console_; }
  nlohmann::json device_json(const device_record& device, clock_time now) const;

 private:
  struct call;
  using handler = outcome (service_core::*)(call&);
  enum class access { device, admin, open };
  struct route {
    std::string_view method;
    std::string_view pattern;  // "{}" captures a segment, "{}.json" a segment ending in ".json"
    access who;
    handler run;
  };
  static const std::vector<route>& routes();
  service_core(std::pair<std::unique_ptr<store>, std::string> opened, std::string admin_token);

  std::optional<http_response> authenticate_device(call& c);
  bool admin_authorized(const http_request& request) const;
  store_result<device_record> device_named_by(const call& c);

  // Device protocol.
  outcome get_dsn(call& c);
  outcome put_device(call& c);
  outcome put_oem_info(call& c);
  outcome get_commands(call& c);
  outcome get_cmds(call& c);
  outcome get_ota_location(call& c);
  outcome get_hosted_image(call& c);
  outcome post_datapoint(call& c);
  outcome get_device_property(call& c);
  outcome put_command_status(call& c);
  outcome post_provision(call& c);
  outcome get_image(call& c);
  outcome serve_image(call& c, std::int64_t image_id);
  outcome put_ota_failed(call& c);
  // Admin API.
  outcome admin_post_oem(call& c);
  outcome admin_list_oems(call& c);
  outcome admin_post_provision_key(call& c);
  outcome admin_list_provision_keys(call& c);
  outcome admin_post_devices(call& c);
  outcome admin_list_devices(call& c);
  outcome admin_get_device(call& c);
  outcome admin_get_auth_refusals(call& c);
  outcome admin_list_properties(call& c);
  outcome admin_get_property(call& c);
  outcome admin_put_property(call& c);
  outcome admin_list_datapoints(call& c);
  outcome admin_post_image(call& c);
  outcome admin_list_images(call& c);
  outcome admin_post_ota_job(call& c);
  outcome admin_list_ota_jobs(call& c);
  outcome admin_get_ota_job(call& c);
  outcome admin_start_ota_job(call& c);
  outcome admin_put_template(call& c);
  outcome admin_get_template(call& c);
  outcome admin_get_faults(call& c);
  outcome admin_post_faults(call& c);
  outcome admin_delete_faults(call& c);
  // An injected fault for this image download, if any: a connection drop, or bytes to corrupt in place.
  std::optional<outcome> image_fault(std::int64_t image_id, std::int64_t first, std::int64_t last);
  // An injected loss of this answer carrying `batch`'s commands, if one is planned.
  std::optional<outcome> command_answer_fault(const command_batch& batch);
  void corrupt_in_place(std::int64_t image_id, std::int64_t first, std::int64_t size, std::string& bytes) const;

  // A property name against the device's model template: the template's entry, nullopt when the model has no
  // template (anything goes), or a 404 failure when the template lacks it.
  api_result<std::optional<template_property>> template_entry(const device_record& device, std::string_view name);
  // The command list of a commands.json / cmds.json answer (data as JSON text, uri relative to the device).
  static nlohmann::json cmds_json(const std::vector<command_record>& cmds);
  // What a commands.json / cmds.json answer delivers: commands delivered on another connection and still without
  // a result first (that connection broke, so their answer may never have arrived), then the queue.
  command_batch deliver(const call& c, bool commands_only);
  std::string image_token(std::int64_t image_id) const;
  std::string ans_key_of(const device_record& device) const;
  store_result<device_record> new_device(std::string_view oem_id, std::string_view model,
                                         std::optional<std::string> hwid, const ads_client::rsa_key& key,
                                         clock_time now);

  std::unique_ptr<store> store_;
  std::string open_error_;  // why the store could not be opened
  console::console_api console_;
  std::string admin_token_;
  std::map<std::uint64_t, std::int64_t> connection_device_;  // authenticated connections
  // Device auths refused (401) per device key, in memory: what a test asks to see why a module was turned away.
  struct auth_refusals {
    int count = 0;
    std::string last_reason;
  };
  std::map<std::int64_t, auth_refusals> auth_refusals_;
  std::map<std::int64_t, clock_time> notified_until_;  // by device key
  std::map<std::int64_t, std::uint64_t> delivered_on_;  // command id -> the connection it last went out on
  std::vector<std::int64_t> woken_;
  fault_plan faults_;
  device_endpoints endpoints_;
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
