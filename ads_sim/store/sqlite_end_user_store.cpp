// sqlite_store's app side: applications, end users, device owners and the users' token pairs.
#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

using namespace sqlite;

namespace {

constexpr std::string_view application_query = "SELECT app_id, oem_id, name, secret_hash FROM applications ";
constexpr std::string_view end_user_query = "SELECT user_id, uuid, oem_id, app_id, email, password_hash FROM end_users ";

application_record read_application(const statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3)};
}

end_user_record read_end_user(const statement& row) {
  return {row.column_int(0),  row.column_text(1), row.column_text(2),
          row.column_text(3), row.column_text(4), row.column_text(5)};
}

std::int64_t read_first_int(const statement& row) { return row.column_int(0); }

}  // namespace

store_done sqlite_store::insert_application(const application_record& app, std::string_view created_at) {
  return inserted_new(db_, execute(db_,
                                   "INSERT OR IGNORE INTO applications(app_id, oem_id, name, secret_hash, created_at) "
                                   "VALUES(?, ?, ?, ?, ?)",
                                   app.app_id, app.oem_id, app.name, app.secret_hash, created_at));
}

store_result<application_record> sqlite_store::find_application(std::string_view app_id) {
  return one_row(db_, sql(application_query, "WHERE app_id = ?"), read_application, app_id);
}

std::vector<application_record> sqlite_store::list_applications(std::string_view oem_id) {
  statement query(db_, sql(application_query, "WHERE oem_id = ? ORDER BY rowid"));
  query.bind(1, oem_id);
  return all_rows(query, read_application);
}

store_result<end_user_record> sqlite_store::insert_end_user(const end_user_record& user, std::string_view created_at) {
  const bool ran = execute(db_,
                           "INSERT OR IGNORE INTO end_users(uuid, oem_id, app_id, email, password_hash, created_at) "
                           "VALUES(?, ?, ?, ?, ?, ?)",
                           user.uuid, user.oem_id, user.app_id, user.email, user.password_hash, created_at);
  if (auto stored = inserted_new(db_, ran); !stored) return stored.error();
  end_user_record stored = user;
  stored.user_id = db_.last_insert_id();
  return stored;
}

store_result<end_user_record> sqlite_store::find_end_user(std::int64_t user_id) {
  return one_row(db_, sql(end_user_query, "WHERE user_id = ?"), read_end_user, user_id);
}

store_result<end_user_record> sqlite_store::find_end_user_by_email(std::string_view oem_id, std::string_view email) {
  return one_row(db_, sql(end_user_query, "WHERE oem_id = ? AND email = ?"), read_end_user, oem_id, email);
}

std::vector<end_user_record> sqlite_store::list_end_users(std::string_view oem_id) {
  statement query(db_, sql(end_user_query, "WHERE oem_id = ? ORDER BY user_id"));
  query.bind(1, oem_id);
  return all_rows(query, read_end_user);
}

store_done sqlite_store::set_device_owner(std::int64_t device_key, std::int64_t user_id, std::string_view at) {
  return inserted_new(db_, execute(db_,
                                   "INSERT OR IGNORE INTO device_owners(device_key, user_id, registered_at) "
                                   "VALUES(?, ?, ?)",
                                   device_key, user_id, at));
}

store_done sqlite_store::clear_device_owner(std::int64_t device_key) {
  return changed_one(db_, execute(db_, "DELETE FROM device_owners WHERE device_key = ?", device_key));
}

store_result<std::int64_t> sqlite_store::device_owner(std::int64_t device_key) {
  return one_row(db_, "SELECT user_id FROM device_owners WHERE device_key = ?", read_first_int, device_key);
}

std::vector<std::int64_t> sqlite_store::devices_of_user(std::int64_t user_id) {
  statement query(db_, "SELECT device_key FROM device_owners WHERE user_id = ? ORDER BY device_key");
  query.bind(1, user_id);
  return all_rows(query, read_first_int);
}

store_done sqlite_store::insert_user_tokens(std::string_view access_hash, std::string_view refresh_hash,
                                            std::int64_t user_id, std::int64_t access_expires_at,
                                            std::int64_t refresh_expires_at, std::int64_t now) {
  if (!execute(db_, "DELETE FROM user_tokens WHERE refresh_expires_at <= ?", now)) return store_error::database;
  return written(db_, execute(db_,
                              "INSERT INTO user_tokens(access_hash, refresh_hash, user_id, access_expires_at, "
                              "refresh_expires_at) VALUES(?, ?, ?, ?, ?)",
                              access_hash, refresh_hash, user_id, access_expires_at, refresh_expires_at));
}

store_result<std::int64_t> sqlite_store::find_access_token(std::string_view access_hash, std::int64_t now) {
  return one_row(db_, "SELECT user_id FROM user_tokens WHERE access_hash = ? AND access_expires_at > ?",
                 read_first_int, access_hash, now);
}

store_result<std::int64_t> sqlite_store::take_refresh_token(std::string_view refresh_hash, std::int64_t now) {
  transaction tx(db_);
  auto user = one_row(db_, "SELECT user_id FROM user_tokens WHERE refresh_hash = ? AND refresh_expires_at > ?",
                      read_first_int, refresh_hash, now);
  if (!user) return user;
  if (!execute(db_, "DELETE FROM user_tokens WHERE refresh_hash = ?", refresh_hash) || !tx.commit())
    return store_error::database;
  return user;
}

store_done sqlite_store::delete_access_token(std::string_view access_hash) {
  return changed_one(db_, execute(db_, "DELETE FROM user_tokens WHERE access_hash = ?", access_hash));
}

}  // namespace ads_sim
