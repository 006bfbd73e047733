// sqlite_store's registration by token: each device's registration token, and how its owner registered it.
#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

using namespace sqlite;

namespace {

// The registration tokens' step: a table, and the way each owner registered the device (earlier owners registered
// by DSN, the only way there was).
constexpr std::string_view registration_steps = R"sql(
CREATE TABLE IF NOT EXISTS registration_tokens(
  device_key INTEGER PRIMARY KEY REFERENCES devices(key), token TEXT NOT NULL UNIQUE, expires_at INTEGER NOT NULL);
ALTER TABLE device_owners ADD COLUMN registration_type TEXT NOT NULL DEFAULT 'Dsn'
  CHECK(registration_type IN ('Dsn', 'Display'));
)sql";

registration_token read_registration_token(const statement& row) { return {row.column_text(0), row.column_int(1)}; }

std::int64_t read_token_device(const statement& row) { return row.column_int(0); }

}  // namespace

std::string_view sqlite::registration_schema() { return registration_steps; }

store_result<registration_token> sqlite_store::registration_token_of(std::int64_t device_key) {
  return one_row(db_, "SELECT token, expires_at FROM registration_tokens WHERE device_key = ?",
                 read_registration_token, device_key);
}

store_done sqlite_store::put_registration_token(std::int64_t device_key, const registration_token& token,
                                                std::int64_t now) {
  transaction tx(db_);
  if (!execute(db_, "DELETE FROM registration_tokens WHERE expires_at <= ?", now)) return store_error::database;
  const bool ran = execute(db_,
                           "INSERT INTO registration_tokens(device_key, token, expires_at) VALUES(?, ?, ?) "
                           "ON CONFLICT(device_key) DO UPDATE SET token = excluded.token, "
                           "expires_at = excluded.expires_at",
                           device_key, token.token, token.expires_at);
  if (auto stored = written(db_, ran); !stored) return stored;
  if (!tx.commit()) return store_error::database;
  return common::done{};
}

store_result<std::int64_t> sqlite_store::find_registration_token(std::string_view token, std::int64_t now) {
  return one_row(db_, "SELECT device_key FROM registration_tokens WHERE token = ? AND expires_at > ?",
                 read_token_device, token, now);
}

store_done sqlite_store::take_registration_token(std::int64_t device_key, std::string_view token) {
  return changed_one(db_, execute(db_, "DELETE FROM registration_tokens WHERE device_key = ? AND token = ?",
                                  device_key, token));
}

store_done sqlite_store::delete_registration_token(std::int64_t device_key) {
  return changed_one(db_, execute(db_, "DELETE FROM registration_tokens WHERE device_key = ?", device_key));
}

store_done sqlite_store::set_registration_type(std::int64_t device_key, registration_type type) {
  return changed_one(db_, execute(db_, "UPDATE device_owners SET registration_type = ? WHERE device_key = ?",
                                  to_text(type), device_key));
}

store_result<registration_type> sqlite_store::registration_type_of(std::int64_t device_key) {
  const auto text = one_row(db_, "SELECT registration_type FROM device_owners WHERE device_key = ?",
                            [](const statement& row) { return row.column_text(0); }, device_key);
  if (!text) return text.error();
  const auto type = from_text<registration_type>(*text);
  if (!type) return store_error::database;
  return *type;
}

}  // namespace ads_sim
