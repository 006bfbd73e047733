#pragma once
// pg_store: the store over one PostgreSQL database through libpq — one class per aggregate (pg_oem_store.cpp, ...),
// all sharing one connection, so adding an aggregate is one class and one file. The only place besides the SQLite
// engine that speaks SQL.
//
// Calls are synchronous on ads-sim's worker threads (never its I/O loop), as the SQLite engine's are: on loopback
// a call costs p50 ~50 us (a lookup) to ~500 us (a poll's take), measured by bench/store_calls (README, "ads-sim on
// PostgreSQL"). Nothing stored is cached in the process: two ads-sim processes may share one database, and every
// answer is read from it. Counters are never kept: an OTA job's are counted from its targets' rows, and every
// change that reads then writes is one statement or one transaction with the rows it takes locked (take_queued), so
// two processes never lose or double an update.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ads_sim/store/pg_database.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim {

// Connects to `url` (libpq's URI) and migrates its schema; the error says why it cannot (one line, no password).
common::result<std::unique_ptr<store>, std::string> open_pg_store(const std::string& url);

namespace pg {

// The PostgreSQL schema's versions, the same numbers as the SQLite engine's (pg_schema.cpp).
std::span<const std::string_view> migrations();
// Applies what `db` lacks of migrations(), under an advisory lock (replicas starting together migrate once).
std::optional<std::string> migrate_schema(connection& db);
// The version `db` records; nullopt when it cannot be read (0: no schema yet).
std::optional<int> schema_version(connection& db);

// What a write's result means: done, `exists` when it broke a unique constraint, or the engine's failure.
store_done written(const result& answer);
// A write that must change exactly one row: not_found when it changed none.
store_done changed_one(const result& answer);
// An INSERT ... ON CONFLICT DO NOTHING: exists when it inserted nothing.
store_done inserted_new(const result& answer);

// The first row of `answer` read by `read(answer, 0)`; not_found when there is none, database when it failed.
template <typename Read>
auto one_row(const result& answer, Read read) -> store_result<decltype(read(answer, 0))> {
  if (!answer.ok()) return store_error::database;
  if (answer.rows() == 0) return store_error::not_found;
  return read(answer, 0);
}

// Every row of `answer`, each read by `read` (nothing when it failed).
template <typename Read>
auto all_rows(const result& answer, Read read) -> std::vector<decltype(read(answer, 0))> {
  std::vector<decltype(read(answer, 0))> rows;
  for (int row = 0; row < answer.rows(); ++row) rows.push_back(read(answer, row));
  return rows;
}

inline std::int64_t first_integer(const result& answer, int row) { return answer.integer(row, 0); }

class oem_table final : public oem_store {
 public:
  explicit oem_table(connection& db) : db_(db) {}
  store_done insert_oem(const oem_record& oem, std::string_view created_at) override;
  store_result<oem_record> find_oem(std::string_view oem_id) override;
  std::vector<oem_record> list_oems() override;
  store_done insert_provision_key(const provision_key_record& key, std::string_view created_at) override;
  store_result<provision_key_record> find_provision_key(std::string_view key_id) override;
  std::vector<provision_key_record> list_provision_keys(std::string_view oem_id) override;
  store_done record_provisioned(std::int64_t device_key, std::string_view key_id) override;
  std::int64_t count_provisioned(std::string_view key_id) override;

 private:
  connection& db_;
};

class device_table final : public device_store {
 public:
  explicit device_table(connection& db) : db_(db) {}
  store_result<device_record> insert_device(device_record device, std::string_view created_at) override;
  store_result<device_record> find_device(std::int64_t key) override;
  store_result<device_record> find_device_by_dsn(std::string_view dsn) override;
  store_result<device_record> find_device_by_hwid(std::string_view oem_id, std::string_view hwid) override;
  std::vector<device_record> list_devices() override;
  store_done update_device(const device_record& device) override;
  store_done set_last_seen(std::int64_t key, std::int64_t unix_secs) override;
  store_done mark_device_listening(std::int64_t key, std::int64_t until_ms) override;
  store_done mark_device_not_listening(std::int64_t key) override;
  store_done insert_token(std::string_view token_hash, std::int64_t device_key, std::int64_t expires_at) override;
  store_result<std::int64_t> find_token(std::string_view token_hash, std::int64_t now) override;

 private:
  connection& db_;
};

class property_table final : public property_store {
 public:
  explicit property_table(connection& db) : db_(db) {}
  store_result<property_record> find_property(std::int64_t device_key, std::string_view name) override;
  store_result<property_record> find_property_by_id(std::int64_t property_id) override;
  std::vector<property_record> list_properties(std::int64_t device_key) override;
  store_result<property_record> record_value(property_record property, std::string_view metadata_json,
                                             std::string_view created_at) override;
  std::vector<datapoint_record> list_datapoints(std::int64_t property_id) override;
  store_done queue_property(std::int64_t device_key, std::string_view name, std::string_view created_at) override;
  store_result<std::int64_t> queue_command(std::int64_t device_key, std::string_view method,
                                           std::string_view resource, std::string_view data_json,
                                           std::string_view created_at) override;
  bool has_queued(std::int64_t device_key) override;
  command_batch take_queued(std::int64_t device_key, std::size_t limit) override;
  command_batch take_queued_commands(std::int64_t device_key, std::size_t limit) override;
  std::vector<command_record> unanswered_commands(std::int64_t device_key) override;
  store_done set_command_status(std::int64_t device_key, std::int64_t command_id, std::int64_t status) override;

 private:
  command_batch take(std::int64_t device_key, std::size_t limit, bool commands_only);
  connection& db_;
};

class template_table final : public template_store {
 public:
  explicit template_table(connection& db) : db_(db) {}
  store_done replace_template(std::string_view oem_id, std::string_view model,
                              const std::vector<template_property>& list) override;
  store_result<std::vector<template_property>> find_template(std::string_view oem_id,
                                                             std::string_view model) override;

 private:
  connection& db_;
};

class ota_table final : public ota_store {
 public:
  explicit ota_table(connection& db) : db_(db) {}
  store_result<image_record> insert_image(image_record image, std::string_view data,
                                          std::string_view created_at) override;
  store_result<image_record> find_image(std::int64_t image_id) override;
  std::vector<image_record> list_images() override;
  store_result<std::string> read_image(std::int64_t image_id, std::int64_t offset, std::int64_t length) override;
  store_result<std::int64_t> insert_ota_job(std::int64_t image_id, const std::optional<std::string>& oem_model,
                                            const std::vector<std::int64_t>& device_keys,
                                            std::string_view created_at) override;
  store_result<ota_job_record> find_ota_job(std::int64_t job_id) override;
  std::vector<ota_job_record> list_ota_jobs() override;
  std::vector<ota_target> ota_targets(std::int64_t job_id) override;
  std::vector<ota_target_listing> ota_target_page(std::int64_t job_id, std::int64_t offset,
                                                  std::int64_t limit) override;
  std::vector<std::string> ota_job_oems(std::int64_t job_id) override;
  store_done set_ota_target(std::int64_t job_id, std::int64_t device_key, ota_target_state state,
                            std::optional<std::int64_t> command_id) override;
  store_done set_ota_job_status(std::int64_t job_id, ota_job_status status) override;
  store_done complete_finished_jobs() override;
  store_done finish_ota_command(std::int64_t device_key, std::int64_t command_id, bool succeeded) override;
  store_done fail_ota_targets(std::int64_t device_key, std::string_view image_type) override;
  store_done confirm_module_version(std::int64_t device_key, std::string_view version) override;
  store_done insert_image_meta(const image_meta& meta) override;
  std::vector<image_meta> list_image_meta() override;
  store_done insert_job_meta(const job_meta& meta) override;
  store_result<job_meta> find_job_meta(std::int64_t job_id) override;
  store_done set_job_started(std::int64_t job_id, std::string_view started_at) override;

 private:
  connection& db_;
};

class console_account_table final : public console_account_store {
 public:
  explicit console_account_table(connection& db) : db_(db) {}
  store_result<account_record> insert_account(const account_record& account, std::string_view created_at) override;
  store_result<account_record> find_account(std::int64_t account_id) override;
  store_result<account_record> find_account_by_email(std::string_view email) override;
  bool has_module_maker() override;
  store_done set_password_hash(std::int64_t account_id, std::string_view password_hash) override;
  store_done insert_session(std::string_view id_hash, const session_record& session) override;
  store_result<session_record> find_session(std::string_view id_hash) override;
  store_done touch_session(std::string_view id_hash, std::int64_t expires_at) override;
  store_done delete_session(std::string_view id_hash) override;
  store_done delete_sessions_ended_by(std::int64_t now) override;
  login_failures failures_of(std::string_view email) override;
  store_done record_failure(std::string_view email, std::int64_t now) override;
  store_done clear_failures(std::string_view email) override;

 private:
  connection& db_;
};

class end_user_table final : public end_user_store {
 public:
  explicit end_user_table(connection& db) : db_(db) {}
  store_done insert_application(const application_record& app, std::string_view created_at) override;
  store_result<application_record> find_application(std::string_view app_id) override;
  std::vector<application_record> list_applications(std::string_view oem_id) override;
  store_result<end_user_record> insert_end_user(const end_user_record& user, std::string_view created_at) override;
  store_result<end_user_record> find_end_user(std::int64_t user_id) override;
  store_result<end_user_record> find_end_user_by_email(std::string_view oem_id, std::string_view email) override;
  std::vector<end_user_record> list_end_users(std::string_view oem_id) override;
  store_done set_device_owner(std::int64_t device_key, std::int64_t user_id, std::string_view at) override;
  store_done clear_device_owner(std::int64_t device_key) override;
  store_result<std::int64_t> device_owner(std::int64_t device_key) override;
  std::vector<std::int64_t> devices_of_user(std::int64_t user_id) override;
  store_done insert_user_tokens(std::string_view access_hash, std::string_view refresh_hash, std::int64_t user_id,
                                std::int64_t access_expires_at, std::int64_t refresh_expires_at,
                                std::int64_t now) override;
  store_result<std::int64_t> find_access_token(std::string_view access_hash, std::int64_t now) override;
  store_result<std::int64_t> take_refresh_token(std::string_view refresh_hash, std::int64_t now) override;
  store_done delete_access_token(std::string_view access_hash) override;

 private:
  connection& db_;
};

class device_data_table final : public device_data_store {
 public:
  explicit device_data_table(connection& db) : db_(db) {}
  std::vector<device_datum> list_device_data(std::int64_t device_key) override;
  store_result<device_datum> find_device_datum(std::int64_t device_key, std::string_view key) override;
  store_done insert_device_datum(std::int64_t device_key, const device_datum& datum) override;
  store_done update_device_datum(std::int64_t device_key, std::string_view key, std::string_view value,
                                 std::string_view updated_at) override;
  store_done delete_device_datum(std::int64_t device_key, std::string_view key) override;

 private:
  connection& db_;
};

class registration_table final : public registration_store {
 public:
  explicit registration_table(connection& db) : db_(db) {}
  store_result<registration_token> registration_token_of(std::int64_t device_key) override;
  store_done put_registration_token(std::int64_t device_key, const registration_token& token,
                                    std::int64_t now) override;
  store_result<std::int64_t> find_registration_token(std::string_view token, std::int64_t now) override;
  store_done take_registration_token(std::int64_t device_key, std::string_view token) override;
  store_done delete_registration_token(std::int64_t device_key) override;
  store_done set_registration_type(std::int64_t device_key, registration_type type) override;
  store_result<registration_type> registration_type_of(std::int64_t device_key) override;

 private:
  connection& db_;
};

}  // namespace pg
}  // namespace ads_sim
