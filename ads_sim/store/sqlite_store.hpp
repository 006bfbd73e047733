#pragma once
// sqlite_store: the store over one SQLite file (WAL) and one connection — the device service's tables and the
// console's share it. The only place that speaks SQL (with sqlite_database, its statement layer).
#include <filesystem>
#include <memory>
#include <string>

#include "ads_sim/store/sqlite_database.hpp"
#include "ads_sim/store/wal_checkpointer.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim {

// Opens (creating if needed) the database file and its schema; the error says why it cannot.
common::result<std::unique_ptr<store>, std::string> open_sqlite_store(const std::filesystem::path& file);

// One object implements every aggregate's interface, so all share the connection and its transactions.
class sqlite_store final : public store,
                           oem_store,
                           device_store,
                           property_store,
                           template_store,
                           ota_store,
                           console_account_store,
                           end_user_store,
                           device_data_store,
                           registration_store {
 public:
  // Opens the file; open_sqlite_store then migrates its schema.
  explicit sqlite_store(const std::filesystem::path& file);

  oem_store& oems() override { return *this; }
  device_store& devices() override { return *this; }
  property_store& properties() override { return *this; }
  template_store& templates() override { return *this; }
  ota_store& ota() override { return *this; }
  console_account_store& accounts() override { return *this; }
  end_user_store& end_users() override { return *this; }
  std::optional<std::string> health_problem() override;
  bool commits_in_groups() const override { return true; }
  void begin_group() override;
  bool group_lost() override;
  bool end_group() override;
  void abandon_group() override;
  device_data_store& device_data() override { return *this; }
  registration_store& registrations() override { return *this; }

 private:
  // oem_store (sqlite_store.cpp)
  store_done insert_oem(const oem_record& oem, std::string_view created_at) override;
  store_result<oem_record> find_oem(std::string_view oem_id) override;
  std::vector<oem_record> list_oems() override;
  store_done insert_provision_key(const provision_key_record& key, std::string_view created_at) override;
  store_result<provision_key_record> find_provision_key(std::string_view key_id) override;
  std::vector<provision_key_record> list_provision_keys(std::string_view oem_id) override;
  store_done record_provisioned(std::int64_t device_key, std::string_view key_id) override;
  std::int64_t count_provisioned(std::string_view key_id) override;

  // device_store (sqlite_store.cpp)
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

  // property_store and template_store (sqlite_property_store.cpp)
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
  store_done replace_template(std::string_view oem_id, std::string_view model,
                              const std::vector<template_property>& list) override;
  store_result<std::vector<template_property>> find_template(std::string_view oem_id,
                                                             std::string_view model) override;

  // ota_store (sqlite_ota_store.cpp)
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

  // console_account_store (sqlite_console_store.cpp)
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

  // end_user_store (sqlite_end_user_store.cpp)
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

  friend common::result<std::unique_ptr<store>, std::string> open_sqlite_store(const std::filesystem::path& file);
  // device_data_store (sqlite_device_data_store.cpp)
  std::vector<device_datum> list_device_data(std::int64_t device_key) override;
  store_result<device_datum> find_device_datum(std::int64_t device_key, std::string_view key) override;
  store_done insert_device_datum(std::int64_t device_key, const device_datum& datum) override;
  store_done update_device_datum(std::int64_t device_key, std::string_view key, std::string_view value,
                                 std::string_view updated_at) override;
  store_done delete_device_datum(std::int64_t device_key, std::string_view key) override;

  // registration_store (sqlite_registration_store.cpp)
  store_result<registration_token> registration_token_of(std::int64_t device_key) override;
  store_done put_registration_token(std::int64_t device_key, const registration_token& token,
                                    std::int64_t now) override;
  store_result<std::int64_t> find_registration_token(std::string_view token, std::int64_t now) override;
  store_done take_registration_token(std::int64_t device_key, std::string_view token) override;
  store_done delete_registration_token(std::int64_t device_key) override;
  store_done set_registration_type(std::int64_t device_key, registration_type type) override;
  store_result<registration_type> registration_type_of(std::int64_t device_key) override;

  command_batch take(std::int64_t device_key, std::size_t limit, bool commands_only);
  store_result<std::string> next_dsn();

  sqlite::database db_;
  bool group_open_ = false;
  std::unique_ptr<sqlite::wal_checkpointer> checkpointer_;  // after db_: gone before it closes
};

namespace sqlite {

// Schema version 3, the device metadata table (sqlite_device_data_store.cpp): run after version 2's.
std::string_view device_data_schema();
// The registration tokens' step (sqlite_registration_store.cpp): run after the device metadata's.
std::string_view registration_schema();

// What a write that ran (or not) means: done, or the engine's failure — `exists` when it broke a constraint.
store_done written(database& db, bool ran);
// A write that must change exactly one row: not_found when it changed none.
store_done changed_one(database& db, bool ran);
// An INSERT OR IGNORE: exists when it changed nothing.
store_done inserted_new(database& db, bool ran);

// The first row of `query` read by `read`, not_found when there is none, database when the query failed.
template <typename Read>
auto one_row(statement& query, Read read) -> store_result<decltype(read(query))> {
  if (query.step()) return read(query);
  return query.failed() ? store_error::database : store_error::not_found;
}

// The first row of one query whose parameters are bound in order.
template <typename Read, typename... Values>
auto one_row(database& db, std::string_view text, Read read, const Values&... values) {
  statement query(db, text);
  int index = 0;
  (query.bind(++index, values), ...);
  return one_row(query, read);
}

// Every row of `query`, each read by `read`.
template <typename Read>
auto all_rows(statement& query, Read read) -> std::vector<decltype(read(query))> {
  std::vector<decltype(read(query))> rows;
  while (query.step()) rows.push_back(read(query));
  return rows;
}

}  // namespace sqlite
}  // namespace ads_sim
