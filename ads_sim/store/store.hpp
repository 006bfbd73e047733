#pragma once
// store: ads-sim's persistent state in domain words, one interface per aggregate — OEMs and their provision keys,
// devices and their auth tokens, properties with their datapoints and the per-device queue, templates, OTA images
// and jobs with their targets, the console's accounts and sessions, and the app side's applications, end users,
// their devices and tokens, devices' metadata and registration tokens — gathered by `store`, which an engine
// (sqlite_store, pg_store) implements. Typed records and enums, no SQL, no HTTP, no policy.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace ads_sim {

// Why a store call failed: what it named is absent, what it adds exists already, or the engine failed.
enum class store_error { not_found, exists, database };

template <typename T>
using store_result = common::result<T, store_error>;
using store_done = store_result<common::done>;

enum class base_type { boolean, integer, decimal, string };
// Ayla's property directions: "input" goes to the device (the cloud sets it), "output" comes from it.
enum class direction { to_device, from_device };
enum class account_role { module_maker, oem };
// An OTA job is created ("none" in the API), running once started, completed when every target has finished.
enum class ota_job_status { created, running, completed };
// One device's part in an OTA job: pending until started, then processing; a module image is downloaded (the
// device answered its command) until the device reports the image's version; then succeeded or failed.
enum class ota_target_state { pending, processing, downloaded, succeeded, failed };
// How an end user's app registered a device (Ayla's registration_type): by its DSN, or by the registration token
// the device shows ("Display").
enum class registration_type { dsn, display };

// The one text of each value, as the API shows it and the engines keep it.
std::string_view to_text(store_error error);
std::string_view to_text(base_type type);
std::string_view to_text(direction dir);  // "input" / "output"
std::string_view to_text(account_role role);
std::string_view to_text(ota_job_status status);
std::string_view to_text(ota_target_state state);
std::string_view to_text(registration_type type);  // "Dsn" / "Display"
// The value a text names, or nullopt: from_text<ota_target_state>("failed").
template <typename Enum>
std::optional<Enum> from_text(std::string_view text);
template <>
std::optional<base_type> from_text<base_type>(std::string_view text);
template <>
std::optional<direction> from_text<direction>(std::string_view text);  // also the old "to_device" / "from_device"
template <>
std::optional<account_role> from_text<account_role>(std::string_view text);
template <>
std::optional<ota_job_status> from_text<ota_job_status>(std::string_view text);
template <>
std::optional<ota_target_state> from_text<ota_target_state>(std::string_view text);
template <>
std::optional<registration_type> from_text<registration_type>(std::string_view text);

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
  // Until when (unix ms) its ANS registration is alive, as the replica holding it last wrote; nullopt when it never
  // registered or unregistered. In the store, not in a process, so every replica answers the same "listening".
  std::optional<std::int64_t> listening_until_ms;
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
  ota_job_status status = ota_job_status::created;
  std::int64_t total = 0;
  std::int64_t processing = 0;  // processing or downloaded
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
};

struct ota_target {
  std::int64_t device_key = 0;
  ota_target_state state = ota_target_state::pending;
};

// A job's target as the console lists it: the device's DSN and firmware beside the target's state.
struct ota_target_listing {
  std::string dsn;
  std::string fw_version;
  ota_target_state state = ota_target_state::pending;
  bool operator==(const ota_target_listing&) const = default;
};

// What the console adds to an image: who owns it (empty: the module maker) and the note's list columns.
struct image_meta {
  std::int64_t image_id = 0;
  std::string oem_id;
  std::string description;
  std::string from_version;
  std::string uploaded_at;
};

// What the console adds to an OTA job: the OEM it belongs to, the model filter and a description.
struct job_meta {
  std::int64_t job_id = 0;
  std::string oem_id;
  std::string oem_model;
  std::string description;
  std::string started_at;  // empty until started
};

struct account_record {
  std::int64_t account_id = 0;
  std::string email;  // unique, compared without case
  std::string name;
  account_role role = account_role::oem;
  std::string oem_id;  // empty for the module maker
  std::string password_hash;
};

struct session_record {
  std::int64_t account_id = 0;
  std::string csrf_token;
  std::int64_t expires_at = 0;  // idle limit, moved on by each use
  std::int64_t ends_at = 0;     // absolute limit
};

struct login_failures {
  int count = 0;
  std::int64_t last_at = 0;
};

// An OEM's application (a phone app, a cloud-to-cloud service): what signs its end users in. The secret is kept
// by its SHA-256 only.
struct application_record {
  std::string app_id;
  std::string oem_id;
  std::string name;
  std::string secret_hash;
};

// An end user of an OEM's apps (Ayla's user service): unique per OEM by email, compared without case.
struct end_user_record {
  std::int64_t user_id = 0;
  std::string uuid;
  std::string oem_id;
  std::string app_id;  // the application the user signed up with
  std::string email;
  std::string password_hash;  // as the console's (console/password_hash.hpp)
};

// Lists answer what the engine could read: nothing when it failed.

// OEMs, their provision keys, and which key provisioned which device in the field.
class oem_store {
 public:
  virtual ~oem_store() = default;
  virtual store_done insert_oem(const oem_record& oem, std::string_view created_at) = 0;  // exists: the id
  virtual store_result<oem_record> find_oem(std::string_view oem_id) = 0;
  virtual std::vector<oem_record> list_oems() = 0;  // oldest first
  virtual store_done insert_provision_key(const provision_key_record& key, std::string_view created_at) = 0;
  virtual store_result<provision_key_record> find_provision_key(std::string_view key_id) = 0;
  virtual std::vector<provision_key_record> list_provision_keys(std::string_view oem_id) = 0;  // oldest first
  // The console's KEY LIST counts, per key, the devices it provisioned; a device is recorded once.
  virtual store_done record_provisioned(std::int64_t device_key, std::string_view key_id) = 0;
  virtual std::int64_t count_provisioned(std::string_view key_id) = 0;
};

// Devices and their auth tokens.
class device_store {
 public:
  virtual ~device_store() = default;
  // Allocates the next DSN (AC000W000000001, ...) and the key; exists: the OEM has a device with that hwid.
  virtual store_result<device_record> insert_device(device_record device, std::string_view created_at) = 0;
  virtual store_result<device_record> find_device(std::int64_t key) = 0;
  virtual store_result<device_record> find_device_by_dsn(std::string_view dsn) = 0;
  virtual store_result<device_record> find_device_by_hwid(std::string_view oem_id, std::string_view hwid) = 0;
  virtual std::vector<device_record> list_devices() = 0;  // by key
  // Model, hwid, firmware and template versions; exists: another device of the OEM has the hwid.
  virtual store_done update_device(const device_record& device) = 0;
  virtual store_done set_last_seen(std::int64_t key, std::int64_t unix_secs) = 0;
  // The device's ANS registration was heard: the service can reach it at once until `until_ms` (unix ms). Only
  // these two calls write listening_until_ms (update_device leaves it).
  virtual store_done mark_device_listening(std::int64_t key, std::int64_t until_ms) = 0;
  // It unregistered: reachable again only once it registers.
  virtual store_done mark_device_not_listening(std::int64_t key) = 0;
  // Tokens are kept by their SHA-256 only; inserting one forgets tokens expired two hours before it ends.
  virtual store_done insert_token(std::string_view token_hash, std::int64_t device_key, std::int64_t expires_at) = 0;
  // The device key of a token still valid at `now`.
  virtual store_result<std::int64_t> find_token(std::string_view token_hash, std::int64_t now) = 0;
};

// Properties, their datapoints, and the per-device queue of properties and commands to deliver.
class property_store {
 public:
  virtual ~property_store() = default;
  virtual store_result<property_record> find_property(std::int64_t device_key, std::string_view name) = 0;
  virtual store_result<property_record> find_property_by_id(std::int64_t property_id) = 0;  // the app API's key
  virtual std::vector<property_record> list_properties(std::int64_t device_key) = 0;  // by name
  // Inserts or updates (by device and name) the property and appends a datapoint with its new value.
  virtual store_result<property_record> record_value(property_record property, std::string_view metadata_json,
                                                     std::string_view created_at) = 0;
  virtual std::vector<datapoint_record> list_datapoints(std::int64_t property_id) = 0;  // oldest first

  // A property entry means "deliver this property's current value", so repeated changes before delivery
  // coalesce into one.
  virtual store_done queue_property(std::int64_t device_key, std::string_view name, std::string_view created_at) = 0;
  virtual store_result<std::int64_t> queue_command(std::int64_t device_key, std::string_view method,
                                                   std::string_view resource, std::string_view data_json,
                                                   std::string_view created_at) = 0;
  virtual bool has_queued(std::int64_t device_key) = 0;
  // Removes and returns up to `limit` queued entries, oldest first; commands then wait for their status.
  virtual command_batch take_queued(std::int64_t device_key, std::size_t limit) = 0;
  // The same for commands only (cmds.json); queued properties stay.
  virtual command_batch take_queued_commands(std::int64_t device_key, std::size_t limit) = 0;
  // Commands delivered and still waiting for their result, oldest first.
  virtual std::vector<command_record> unanswered_commands(std::int64_t device_key) = 0;
  // not_found: no such command for that device.
  virtual store_done set_command_status(std::int64_t device_key, std::int64_t command_id, std::int64_t status) = 0;
};

// Templates: a model's properties.
class template_store {
 public:
  virtual ~template_store() = default;
  // Swaps the whole list (an empty list is a template too: the model then accepts no property).
  virtual store_done replace_template(std::string_view oem_id, std::string_view model,
                                      const std::vector<template_property>& list) = 0;
  // By name; not_found when the model has no template (it then accepts any property, see PROTOCOL.md §2.5).
  virtual store_result<std::vector<template_property>> find_template(std::string_view oem_id,
                                                                     std::string_view model) = 0;
};

// OTA images and jobs: a job targets devices fixed at its creation; each target's state follows its command.
// The console's notes on images and jobs (owner, description) live here too.
class ota_store {
 public:
  virtual ~ota_store() = default;
  // The bytes stay in the store; ranges are read without loading the whole image.
  virtual store_result<image_record> insert_image(image_record image, std::string_view data,
                                                  std::string_view created_at) = 0;
  virtual store_result<image_record> find_image(std::int64_t image_id) = 0;
  virtual std::vector<image_record> list_images() = 0;  // by id
  // Up to `length` bytes from `offset`; not_found: no such image, or the offset lies beyond its end.
  virtual store_result<std::string> read_image(std::int64_t image_id, std::int64_t offset, std::int64_t length) = 0;

  // A created job with a pending target per device (a key given twice counts once).
  virtual store_result<std::int64_t> insert_ota_job(std::int64_t image_id, const std::optional<std::string>& oem_model,
                                                    const std::vector<std::int64_t>& device_keys,
                                                    std::string_view created_at) = 0;
  virtual store_result<ota_job_record> find_ota_job(std::int64_t job_id) = 0;  // with its targets counted
  virtual std::vector<ota_job_record> list_ota_jobs() = 0;                     // by id
  virtual std::vector<ota_target> ota_targets(std::int64_t job_id) = 0;       // by device key
  // Up to `limit` of a job's targets from `offset`, by device key, with their devices' DSN and firmware: one page of
  // a job of thousands, in one query.
  virtual std::vector<ota_target_listing> ota_target_page(std::int64_t job_id, std::int64_t offset,
                                                          std::int64_t limit) = 0;
  // The OEMs whose devices a job targets, each once, sorted.
  virtual std::vector<std::string> ota_job_oems(std::int64_t job_id) = 0;
  // A target's state, and the command that carries the offer when given.
  virtual store_done set_ota_target(std::int64_t job_id, std::int64_t device_key, ota_target_state state,
                                    std::optional<std::int64_t> command_id) = 0;
  virtual store_done set_ota_job_status(std::int64_t job_id, ota_job_status status) = 0;
  // Marks running jobs whose targets have all finished as completed.
  virtual store_done complete_finished_jobs() = 0;
  // The device reported its OTA command's result: the processing target tied to that command fails, or succeeds —
  // for a module image only "downloaded" (ADA reports before applying), until the device reports the version.
  virtual store_done finish_ota_command(std::int64_t device_key, std::int64_t command_id, bool succeeded) = 0;
  // The device reported an OTA failure of a type ("module" or "host"): its unfinished targets of that type fail,
  // and their commands need no result any more.
  virtual store_done fail_ota_targets(std::int64_t device_key, std::string_view image_type) = 0;
  // The device reported the firmware it runs: its offered module targets of that version succeed (a result lost
  // in the reboot that followed the download does not leave the job running).
  virtual store_done confirm_module_version(std::int64_t device_key, std::string_view version) = 0;

  virtual store_done insert_image_meta(const image_meta& meta) = 0;  // exists: the image has one
  virtual std::vector<image_meta> list_image_meta() = 0;             // by image id
  virtual store_done insert_job_meta(const job_meta& meta) = 0;      // exists: the job has one
  virtual store_result<job_meta> find_job_meta(std::int64_t job_id) = 0;
  virtual store_done set_job_started(std::int64_t job_id, std::string_view started_at) = 0;
};

// The console's accounts, sessions (by the SHA-256 of their id) and failed-login counts (by email).
class console_account_store {
 public:
  virtual ~console_account_store() = default;
  // The stored account with its id; exists: the email is taken (compared without case).
  virtual store_result<account_record> insert_account(const account_record& account,
                                                      std::string_view created_at) = 0;
  virtual store_result<account_record> find_account(std::int64_t account_id) = 0;
  virtual store_result<account_record> find_account_by_email(std::string_view email) = 0;
  virtual bool has_module_maker() = 0;
  virtual store_done set_password_hash(std::int64_t account_id, std::string_view password_hash) = 0;

  virtual store_done insert_session(std::string_view id_hash, const session_record& session) = 0;
  virtual store_result<session_record> find_session(std::string_view id_hash) = 0;
  virtual store_done touch_session(std::string_view id_hash, std::int64_t expires_at) = 0;
  virtual store_done delete_session(std::string_view id_hash) = 0;
  // Forgets the sessions whose idle or absolute limit is at or before `now`.
  virtual store_done delete_sessions_ended_by(std::int64_t now) = 0;

  virtual login_failures failures_of(std::string_view email) = 0;  // {0, 0} when none
  virtual store_done record_failure(std::string_view email, std::int64_t now) = 0;
  virtual store_done clear_failures(std::string_view email) = 0;
};

// The app side (Ayla's user service and application API): applications, end users, which user owns which device,
// and the users' tokens — an access token and its refresh token, both kept by their SHA-256 only.
class end_user_store {
 public:
  virtual ~end_user_store() = default;
  virtual store_done insert_application(const application_record& app, std::string_view created_at) = 0;
  virtual store_result<application_record> find_application(std::string_view app_id) = 0;
  virtual std::vector<application_record> list_applications(std::string_view oem_id) = 0;  // oldest first
  // The stored user with its id; exists: the OEM has a user with that email.
  virtual store_result<end_user_record> insert_end_user(const end_user_record& user, std::string_view created_at) = 0;
  virtual store_result<end_user_record> find_end_user(std::int64_t user_id) = 0;
  virtual store_result<end_user_record> find_end_user_by_email(std::string_view oem_id, std::string_view email) = 0;
  virtual std::vector<end_user_record> list_end_users(std::string_view oem_id) = 0;  // oldest first

  // exists: the device has an owner already.
  virtual store_done set_device_owner(std::int64_t device_key, std::int64_t user_id, std::string_view at) = 0;
  virtual store_done clear_device_owner(std::int64_t device_key) = 0;  // not_found: it had none
  virtual store_result<std::int64_t> device_owner(std::int64_t device_key) = 0;
  virtual std::vector<std::int64_t> devices_of_user(std::int64_t user_id) = 0;  // by key

  // Inserting a pair forgets the pairs whose refresh token ended before `now`.
  virtual store_done insert_user_tokens(std::string_view access_hash, std::string_view refresh_hash,
                                        std::int64_t user_id, std::int64_t access_expires_at,
                                        std::int64_t refresh_expires_at, std::int64_t now) = 0;
  // The user of an access token still valid at `now`.
  virtual store_result<std::int64_t> find_access_token(std::string_view access_hash, std::int64_t now) = 0;
  // The user of a refresh token still valid at `now`; the pair is removed (a refresh token is used once).
  virtual store_result<std::int64_t> take_refresh_token(std::string_view refresh_hash, std::int64_t now) = 0;
  virtual store_done delete_access_token(std::string_view access_hash) = 0;  // not_found: no such token
};

// One key/value pair of a device's metadata (Ayla's "data" of a device, kept by its users' apps).
struct device_datum {
  std::string key;
  std::string value;
  std::string created_at;  // ISO 8601 UTC, as the store writes every time
  std::string updated_at;
};

// Device metadata: a device's key/value pairs, by key. Small on purpose: each engine implements it on its own.
class device_data_store {
 public:
  virtual ~device_data_store() = default;
  virtual std::vector<device_datum> list_device_data(std::int64_t device_key) = 0;  // by key
  virtual store_result<device_datum> find_device_datum(std::int64_t device_key, std::string_view key) = 0;
  // exists: the device has that key already.
  virtual store_done insert_device_datum(std::int64_t device_key, const device_datum& datum) = 0;
  // not_found: the device has no such key.
  virtual store_done update_device_datum(std::int64_t device_key, std::string_view key, std::string_view value,
                                         std::string_view updated_at) = 0;
  virtual store_done delete_device_datum(std::int64_t device_key, std::string_view key) = 0;  // not_found as above
};

// A device's registration token (Ayla's "regtoken"): what the device shows and an end user's app registers it by.
struct registration_token {
  std::string token;
  std::int64_t expires_at = 0;  // unix seconds
};

// Registration by token: each device holds at most one token, unique among the devices, used once. Small on
// purpose: each engine implements it on its own.
class registration_store {
 public:
  virtual ~registration_store() = default;
  // The device's token, valid or not; not_found: it has none.
  virtual store_result<registration_token> registration_token_of(std::int64_t device_key) = 0;
  // Gives the device `token` in place of any it had, forgetting every token that ended before `now`; exists:
  // another device holds that token.
  virtual store_done put_registration_token(std::int64_t device_key, const registration_token& token,
                                            std::int64_t now) = 0;
  // The device holding a token still valid at `now`.
  virtual store_result<std::int64_t> find_registration_token(std::string_view token, std::int64_t now) = 0;
  // Removes the device's token if it is still `token` (one statement: of two users given it, one takes it);
  // not_found: the device holds another token or none.
  virtual store_done take_registration_token(std::int64_t device_key, std::string_view token) = 0;
  virtual store_done delete_registration_token(std::int64_t device_key) = 0;  // not_found: it had none
  // How the device's owner registered it (end_user_store::set_device_owner records "Dsn"); not_found: no owner.
  virtual store_done set_registration_type(std::int64_t device_key, registration_type type) = 0;
  virtual store_result<registration_type> registration_type_of(std::int64_t device_key) = 0;
};

// The whole store: one engine's connection, handing out each aggregate's interface.
class store {
 public:
  virtual ~store() = default;
  virtual oem_store& oems() = 0;
  virtual device_store& devices() = 0;
  virtual property_store& properties() = 0;
  virtual template_store& templates() = 0;
  virtual ota_store& ota() = 0;
  virtual console_account_store& accounts() = 0;
  virtual end_user_store& end_users() = 0;
  // Why the store cannot serve now (the database does not answer, or its schema is not the one this binary
  // migrates to); nullopt when healthy. Asks the database each time: another process may have changed it.
  virtual std::optional<std::string> health_problem() = 0;
  virtual device_data_store& device_data() = 0;
  virtual registration_store& registrations() = 0;

  // Group commit: the changes of every call between begin_group() and end_group() are committed together, once.
  // On SQLite a commit's WAL write and file locks were most of a datapoint POST's cost. An engine without groups
  // commits call by call and these do nothing: PostgreSQL, where one failed statement aborts its whole transaction.
  // group_lost(): the engine rolled the open group back after a failure (the calls after it commit one by one);
  // end_group(): false when the group's changes are not stored; abandon_group(): rolls the open group back.
  virtual bool commits_in_groups() const { return false; }
  virtual void begin_group() {}
  virtual bool group_lost() { return false; }
  virtual bool end_group() { return true; }
  virtual void abandon_group() {}
};

}  // namespace ads_sim
