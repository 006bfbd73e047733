// pg_store's devices and their auth tokens.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

constexpr std::string_view device_columns =
    "key, dsn, oem_id, model, hwid, public_key, private_key, fw_version, template_version, last_seen, "
    "listening_until";

std::string device_query(std::string_view tail) {
  std::string text("SELECT ");
  return text.append(device_columns).append(" FROM devices ").append(tail);
}

device_record read_device(const result& rows, int row) {
  device_record device;
  device.key = rows.integer(row, 0);
  device.dsn = rows.text(row, 1);
  device.oem_id = rows.text(row, 2);
  device.model = rows.text(row, 3);
  device.hwid = rows.optional_text(row, 4);
  device.public_key = rows.text(row, 5);
  device.private_key_pem = rows.text(row, 6);
  device.fw_version = rows.text(row, 7);
  device.template_version = rows.text(row, 8);
  device.last_seen = rows.integer(row, 9);
  if (!rows.is_null(row, 10)) device.listening_until_ms = rows.integer(row, 10);
  return device;
}

}  // namespace

store_result<device_record> device_table::insert_device(device_record device, std::string_view created_at) {
  // The DSN's number comes from a sequence in the same statement, so two processes never hand out one DSN (a
  // refused insert leaves a gap, which nothing minds).
  const auto inserted = db_.query(
      "INSERT INTO devices(dsn, oem_id, model, hwid, public_key, private_key, fw_version, template_version, "
      "created_at) VALUES('AC000W' || lpad(nextval('dsn_numbers')::text, 9, '0'), $1, $2, $3, $4, $5, $6, $7, $8) "
      "RETURNING key, dsn",
      device.oem_id, device.model, device.hwid, device.public_key, device.private_key_pem, device.fw_version,
      device.template_version, created_at);
  if (auto stored = written(inserted); !stored) return stored.error();
  device.key = inserted.integer(0, 0);
  device.dsn = inserted.text(0, 1);
  return device;
}

store_result<device_record> device_table::find_device(std::int64_t key) {
  return one_row(db_.query(device_query("WHERE key = $1"), key), read_device);
}

store_result<device_record> device_table::find_device_by_dsn(std::string_view dsn) {
  return one_row(db_.query(device_query("WHERE dsn = $1"), dsn), read_device);
}

store_result<device_record> device_table::find_device_by_hwid(std::string_view oem_id, std::string_view hwid) {
  return one_row(db_.query(device_query("WHERE oem_id = $1 AND hwid = $2"), oem_id, hwid), read_device);
}

std::vector<device_record> device_table::list_devices() {
  return all_rows(db_.query(device_query("ORDER BY key")), read_device);
}

store_done device_table::update_device(const device_record& device) {
  return changed_one(db_.query("UPDATE devices SET model = $1, hwid = $2, fw_version = $3, template_version = $4 "
                               "WHERE key = $5",
                               device.model, device.hwid, device.fw_version, device.template_version, device.key));
}

store_done device_table::set_last_seen(std::int64_t key, std::int64_t unix_secs) {
  return changed_one(db_.query("UPDATE devices SET last_seen = $1 WHERE key = $2", unix_secs, key));
}

store_done device_table::mark_device_listening(std::int64_t key, std::int64_t until_ms) {
  return changed_one(db_.query("UPDATE devices SET listening_until = $1 WHERE key = $2", until_ms, key));
}

store_done device_table::mark_device_not_listening(std::int64_t key) {
  return changed_one(db_.query("UPDATE devices SET listening_until = NULL WHERE key = $1", key));
}

store_done device_table::insert_token(std::string_view token_hash, std::int64_t device_key, std::int64_t expires_at) {
  if (!db_.query("DELETE FROM auth_tokens WHERE expires_at < $1", expires_at - 2 * 3600).ok())
    return store_error::database;
  return written(db_.query("INSERT INTO auth_tokens(token_hash, device_key, expires_at) VALUES($1, $2, $3) "
                           "ON CONFLICT(token_hash) DO UPDATE SET device_key = excluded.device_key, "
                           "expires_at = excluded.expires_at",
                           token_hash, device_key, expires_at));
}

store_result<std::int64_t> device_table::find_token(std::string_view token_hash, std::int64_t now) {
  return one_row(db_.query("SELECT device_key FROM auth_tokens WHERE token_hash = $1 AND expires_at > $2",
                           token_hash, now),
                 first_integer);
}

}  // namespace ads_sim::pg
