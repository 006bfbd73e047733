// pg_store's registration by token: each device's registration token, and how its owner registered it.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

store_result<registration_token> registration_table::registration_token_of(std::int64_t device_key) {
  return one_row(db_.query("SELECT token, expires_at FROM registration_tokens WHERE device_key = $1", device_key),
                 [](const result& rows, int row) {
                   return registration_token{rows.text(row, 0), rows.integer(row, 1)};
                 });
}

store_done registration_table::put_registration_token(std::int64_t device_key, const registration_token& token,
                                                      std::int64_t now) {
  transaction tx(db_);
  if (!tx.ok() || !db_.query("DELETE FROM registration_tokens WHERE expires_at <= $1", now).ok())
    return store_error::database;
  if (auto stored = written(db_.query("INSERT INTO registration_tokens(device_key, token, expires_at) "
                                      "VALUES($1, $2, $3) ON CONFLICT(device_key) DO UPDATE "
                                      "SET token = excluded.token, expires_at = excluded.expires_at",
                                      device_key, token.token, token.expires_at));
      !stored)
    return stored;
  if (!tx.commit()) return store_error::database;
  return common::done{};
}

store_result<std::int64_t> registration_table::find_registration_token(std::string_view token, std::int64_t now) {
  return one_row(db_.query("SELECT device_key FROM registration_tokens WHERE token = $1 AND expires_at > $2", token,
                           now),
                 first_integer);
}

store_done registration_table::take_registration_token(std::int64_t device_key, std::string_view token) {
  return changed_one(
      db_.query("DELETE FROM registration_tokens WHERE device_key = $1 AND token = $2", device_key, token));
}

store_done registration_table::delete_registration_token(std::int64_t device_key) {
  return changed_one(db_.query("DELETE FROM registration_tokens WHERE device_key = $1", device_key));
}

store_done registration_table::set_registration_type(std::int64_t device_key, registration_type type) {
  return changed_one(db_.query("UPDATE device_owners SET registration_type = $1 WHERE device_key = $2",
                               to_text(type), device_key));
}

store_result<registration_type> registration_table::registration_type_of(std::int64_t device_key) {
  const auto text = one_row(db_.query("SELECT registration_type FROM device_owners WHERE device_key = $1", device_key),
                            [](const result& rows, int row) { return rows.text(row, 0); });
  if (!text) return text.error();
  const auto type = from_text<registration_type>(*text);
  if (!type) return store_error::database;
  return *type;
}

}  // namespace ads_sim::pg
