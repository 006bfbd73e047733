// pg_store's app side: applications, end users, device owners and the users' token pairs.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

std::string application_query(std::string_view tail) {
  std::string text("SELECT app_id, oem_id, name, secret_hash FROM applications ");
  return text.append(tail);
}

std::string end_user_query(std::string_view tail) {
  std::string text("SELECT user_id, uuid, oem_id, app_id, email, password_hash FROM end_users ");
  return text.append(tail);
}

application_record read_application(const result& rows, int row) {
  return {rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3)};
}

end_user_record read_end_user(const result& rows, int row) {
  return {rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2),
          rows.text(row, 3),    rows.text(row, 4), rows.text(row, 5)};
}

}  // namespace

store_done end_user_table::insert_application(const application_record& app, std::string_view created_at) {
  return inserted_new(db_.query("INSERT INTO applications(app_id, oem_id, name, secret_hash, created_at) "
                                "VALUES($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                app.app_id, app.oem_id, app.name, app.secret_hash, created_at));
}

store_result<application_record> end_user_table::find_application(std::string_view app_id) {
  return one_row(db_.query(application_query("WHERE app_id = $1"), app_id), read_application);
}

std::vector<application_record> end_user_table::list_applications(std::string_view oem_id) {
  return all_rows(db_.query(application_query("WHERE oem_id = $1 ORDER BY seq"), oem_id), read_application);
}

store_result<end_user_record> end_user_table::insert_end_user(const end_user_record& user,
                                                              std::string_view created_at) {
  const auto inserted = db_.query("INSERT INTO end_users(uuid, oem_id, app_id, email, password_hash, created_at) "
                                  "VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING user_id",
                                  user.uuid, user.oem_id, user.app_id, user.email, user.password_hash, created_at);
  if (auto stored = inserted_new(inserted); !stored) return stored.error();
  end_user_record stored = user;
  stored.user_id = inserted.integer(0, 0);
  return stored;
}

store_result<end_user_record> end_user_table::find_end_user(std::int64_t user_id) {
  return one_row(db_.query(end_user_query("WHERE user_id = $1"), user_id), read_end_user);
}

std::vector<end_user_record> end_user_table::list_end_users(std::string_view oem_id) {
  return all_rows(db_.query(end_user_query("WHERE oem_id = $1 ORDER BY user_id"), oem_id), read_end_user);
}

store_result<end_user_record> end_user_table::find_end_user_by_email(std::string_view oem_id,
                                                                     std::string_view email) {
  return one_row(db_.query(end_user_query("WHERE oem_id = $1 AND lower(email) = lower($2)"), oem_id, email),
                 read_end_user);
}

store_done end_user_table::set_device_owner(std::int64_t device_key, std::int64_t user_id, std::string_view at) {
  return inserted_new(db_.query("INSERT INTO device_owners(device_key, user_id, registered_at) VALUES($1, $2, $3) "
                                "ON CONFLICT DO NOTHING",
                                device_key, user_id, at));
}

store_done end_user_table::clear_device_owner(std::int64_t device_key) {
  return changed_one(db_.query("DELETE FROM device_owners WHERE device_key = $1", device_key));
}

store_result<std::int64_t> end_user_table::device_owner(std::int64_t device_key) {
  return one_row(db_.query("SELECT user_id FROM device_owners WHERE device_key = $1", device_key), first_integer);
}

std::vector<std::int64_t> end_user_table::devices_of_user(std::int64_t user_id) {
  return all_rows(db_.query("SELECT device_key FROM device_owners WHERE user_id = $1 ORDER BY device_key", user_id),
                  first_integer);
}

store_done end_user_table::insert_user_tokens(std::string_view access_hash, std::string_view refresh_hash,
                                              std::int64_t user_id, std::int64_t access_expires_at,
                                              std::int64_t refresh_expires_at, std::int64_t now) {
  if (!db_.query("DELETE FROM user_tokens WHERE refresh_expires_at <= $1", now).ok()) return store_error::database;
  return written(db_.query("INSERT INTO user_tokens(access_hash, refresh_hash, user_id, access_expires_at, "
                           "refresh_expires_at) VALUES($1, $2, $3, $4, $5)",
                           access_hash, refresh_hash, user_id, access_expires_at, refresh_expires_at));
}

store_result<std::int64_t> end_user_table::find_access_token(std::string_view access_hash, std::int64_t now) {
  return one_row(db_.query("SELECT user_id FROM user_tokens WHERE access_hash = $1 AND access_expires_at > $2",
                           access_hash, now),
                 first_integer);
}

store_result<std::int64_t> end_user_table::take_refresh_token(std::string_view refresh_hash, std::int64_t now) {
  // One statement: of two processes given the same refresh token, one takes it.
  return one_row(db_.query("DELETE FROM user_tokens WHERE refresh_hash = $1 AND refresh_expires_at > $2 "
                           "RETURNING user_id",
                           refresh_hash, now),
                 first_integer);
}

store_done end_user_table::delete_access_token(std::string_view access_hash) {
  return changed_one(db_.query("DELETE FROM user_tokens WHERE access_hash = $1", access_hash));
}

}  // namespace ads_sim::pg
