#pragma once
// console_store: the console's own tables in ads-sim's database (its own connection to the same file): accounts,
// sessions (by the SHA-256 of their id), failed-login counts, and who owns each image and job the console made.
// No HTTP, no policy.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ads_sim/database.hpp"

namespace ads_sim::console {

enum class account_role { module_maker, oem };
std::string_view role_name(account_role role);

struct account_record {
  std::int64_t account_id = 0;
  std::string email;
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

// What the console adds to an image (store.hpp's images): who owns it (empty: the module maker) and the note's
// list columns.
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

class console_store {
 public:
  explicit console_store(const std::filesystem::path& file);

  bool ok() const { return db_.ok(); }
  const std::string& error() const { return db_.error(); }

  // False when the email is taken (or on a database error).
  bool insert_account(const account_record& account, std::string_view created_at);
  std::optional<account_record> find_account(std::int64_t account_id);
  std::optional<account_record> find_account_by_email(std::string_view email);
  bool has_module_maker();
  bool set_password_hash(std::int64_t account_id, std::string_view password_hash);
  std::vector<account_record> list_oem_accounts();

  bool insert_session(std::string_view id_hash, const session_record& session);
  std::optional<session_record> find_session(std::string_view id_hash);
  void touch_session(std::string_view id_hash, std::int64_t expires_at);
  void delete_session(std::string_view id_hash);
  void delete_sessions_ended_by(std::int64_t now);

  login_failures failures_of(std::string_view email);
  void record_failure(std::string_view email, std::int64_t now);
  void clear_failures(std::string_view email);

  bool insert_image_meta(const image_meta& meta);
  std::vector<image_meta> list_image_meta();
  bool insert_job_meta(const job_meta& meta);
  std::optional<job_meta> find_job_meta(std::int64_t job_id);
  void set_job_started(std::int64_t job_id, std::string_view started_at);

 private:
  database db_;
};

}  // namespace ads_sim::console
