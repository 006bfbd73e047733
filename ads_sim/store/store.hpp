#pragma once
// store: ads-sim's persistent state (SQLite, WAL) — OEMs, provision keys, devices, properties, datapoints, the
// per-device command queue, auth tokens, images and OTA jobs — as typed records. No HTTP, no policy.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ads_sim/database.hpp"

namespace ads_sim {

enum class base_type { boolean, integer, decimal, string };
std::optional<base_type> parse_base_type(std::string_view name);
std::string_view base_type_name(base_type type);

// Ayla's property directions: "input" goes to the device (the cloud sets it), "output" comes from it.
enum class direction { to_device, from_device };
std::string_view direction_name(direction dir);  // "input" / "output"
std::optional<direction> parse_direction(std::string_view name);

struct oem_record {
  std::string oem_id;
  std::string name;
  std::string email;
  std::string secret;
};

struct provision_key_record {
  std::string key_id;
  std::string oem_id;
  std::string public_key_pem;
};

struct device_record {
  std::int64_t key = 0;
  std::string dsn;
  std::string oem_id;
  std::string model;  // the OEM model
  std::optional<std::string> hwid;
  std::string public_key;       // base64 SPKI body
  std::string private_key_pem;  // PKCS#8; never leaves the service
  std::string fw_version;
  std::string template_version;
  std::int64_t last_seen = 0;  // unix seconds of the last authenticated request, 0 if never
};

struct property_record {
  std::int64_t id = 0;
  std::int64_t device_key = 0;
  std::string name;
  base_type type = base_type::string;
  direction dir = direction::from_device;
  std::optional<std::string> value_json;  // the current value as JSON text
  std::optional<std::string> updated_at;
};

// One property of a model's template: what a device of that model may report or be sent.
struct template_property {
  std::string name;
  base_type type = base_type::string;
  direction dir = direction::from_device;
};

struct datapoint_record {
  std::string value_json;
  std::string metadata_json;
  std::string created_at;
};

// A queued device command (OTA and the like) as the device receives it.
struct command_record {
  std::int64_t id = 0;
  std::string method;
  std::string resource;
  std::string data_json;
};

// What one commands.json answer carries.
struct command_batch {
  std::vector<command_record> cmds;
  std::vector<property_record> properties;
  bool more = false;
};

struct image_record {
  std::int64_t image_id = 0;
  std::string type;  // "module" or "host"
  std::string model;
  std::string version;
  std::int64_t size = 0;
  std::string sha256;  // lower-case hex
};

struct ota_job_record {
  std::int64_t job_id = 0;
  std::int64_t image_id = 0;
  std::optional<std::string> oem_model;
  std::string status;  // "none" (created), "running", "completed"
  std::int64_t total = 0;
  std::int64_t processing = 0;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
};

// One device's part in an OTA job: "pending" until started, then "processing", "succeeded" or "failed".
struct ota_target {
  std::int64_t device_key = 0;
  std::string state;
};

class store {
 public:
  explicit store(const std::filesystem::path& file);

  bool ok() const { return db_.ok(); }
  const std::string& error() const { return db_.error(); }

  // OEMs and provision keys. insert_* return false when the id exists (or on a database error).
  bool insert_oem(const oem_record& oem, std::string_view created_at);
  std::optional<oem_record> find_oem(std::string_view oem_id);
  std::vector<oem_record> list_oems();
  bool insert_provision_key(const provision_key_record& key, std::string_view created_at);
  std::optional<provision_key_record> find_provision_key(std::string_view key_id);
  std::vector<provision_key_record> list_provision_keys(std::string_view oem_id);

  // Devices. insert_device allocates the next DSN and the key; returns the stored record.
  std::optional<device_record> insert_device(device_record device, std::string_view created_at);
  std::optional<device_record> find_device(std::int64_t key);
  std::optional<device_record> find_device_by_dsn(std::string_view dsn);
  std::optional<device_record> find_device_by_hwid(std::string_view oem_id, std::string_view hwid);
  std::vector<device_record> list_devices();
  bool update_device(const device_record& device);
  // In-field provisioning: which provision key made a device (the console's KEY LIST counts them per key).
  bool record_provisioned(std::int64_t device_key, std::string_view key_id);
  std::int64_t count_provisioned(std::string_view key_id);
  void set_last_seen(std::int64_t key, std::int64_t unix_secs);

  // Properties and datapoints.
  std::optional<property_record> find_property(std::int64_t device_key, std::string_view name);
  std::vector<property_record> list_properties(std::int64_t device_key);
  // Inserts or updates (by device and name) the property and appends a datapoint with its new value.
  std::optional<property_record> record_value(property_record property, std::string_view metadata_json,
                                              std::string_view created_at);
  std::vector<datapoint_record> list_datapoints(std::int64_t property_id);

  // Templates: a model's properties. find_template is nullopt when the model has none (it then accepts any
  // property, see PROTOCOL.md §2.5); replace_template swaps the whole list.
  bool replace_template(std::string_view oem_id, std::string_view model, const std::vector<template_property>& list);
  std::optional<std::vector<template_property>> find_template(std::string_view oem_id, std::string_view model);

  // The per-device queue. A property entry means "deliver this property's current value", so repeated changes
  // before delivery coalesce into one.
  bool queue_property(std::int64_t device_key, std::string_view name, std::string_view created_at);
  std::optional<std::int64_t> queue_command(std::int64_t device_key, std::string_view method,
                                            std::string_view resource, std::string_view data_json,
                                            std::string_view created_at);
  bool has_queued(std::int64_t device_key);
  // Removes and returns up to `limit` queued entries, oldest first.
  command_batch take_queued(std::int64_t device_key, std::size_t limit);
  // The same for commands only (cmds.json); queued properties stay.
  command_batch take_queued_commands(std::int64_t device_key, std::size_t limit);
  // Commands delivered and still waiting for their result, oldest first.
  std::vector<command_record> unanswered_commands(std::int64_t device_key);
  // false if the command is unknown for that device.
  bool set_command_status(std::int64_t device_key, std::int64_t command_id, std::int64_t status);

  // Images (the bytes stay in the database; ranges are read without loading the whole image).
  std::optional<image_record> insert_image(image_record image, std::string_view data, std::string_view created_at);
  std::optional<image_record> find_image(std::int64_t image_id);
  std::vector<image_record> list_images();
  std::optional<std::string> read_image(std::int64_t image_id, std::int64_t offset, std::int64_t length);

  // OTA jobs: a job targets devices fixed at its creation; each target's state follows its command.
  std::optional<std::int64_t> insert_ota_job(std::int64_t image_id, const std::optional<std::string>& oem_model,
                                             const std::vector<std::int64_t>& device_keys,
                                             std::string_view created_at);
  std::optional<ota_job_record> find_ota_job(std::int64_t job_id);
  std::vector<ota_job_record> list_ota_jobs();
  std::vector<ota_target> ota_targets(std::int64_t job_id);
  bool set_ota_target(std::int64_t job_id, std::int64_t device_key, std::string_view state,
                      std::optional<std::int64_t> command_id);
  bool set_ota_job_status(std::int64_t job_id, std::string_view status);
  // Marks running jobs whose targets have all finished as completed.
  void complete_finished_jobs();
  // The device reported its OTA command's result: the target tied to that command fails, or succeeds — for a
  // module image only "downloaded" (ADA reports before applying), until the device reports the image's version.
  void finish_ota_command(std::int64_t device_key, std::int64_t command_id, bool succeeded);
  // The device reported an OTA failure of a type ("module" or "host"): its unfinished targets of that type fail,
  // and their commands need no result any more.
  void fail_ota_targets(std::int64_t device_key, std::string_view image_type);
  // The device reported the firmware it runs: its offered module targets of that version succeed (a result lost
  // in the reboot that followed the download does not leave the job running).
  void confirm_module_version(std::int64_t device_key, std::string_view version);

  // Auth tokens, stored by their SHA-256 only.
  bool insert_token(std::string_view token_hash, std::int64_t device_key, std::int64_t expires_at);
  // The device key of a token still valid at `now`.
  std::optional<std::int64_t> find_token(std::string_view token_hash, std::int64_t now);

 private:
  bool create_schema();
  command_batch take(std::int64_t device_key, std::size_t limit, bool commands_only);
  std::string next_dsn();

  database db_;
};

}  // namespace ads_sim
