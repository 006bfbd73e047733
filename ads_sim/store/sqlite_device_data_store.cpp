// sqlite_store's device metadata: a device's key/value pairs (the application API's /apiv1/dsns/<DSN>/data).
#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

using namespace sqlite;

namespace {

// Version 3: only adds a table, so a version 2 file gains it on open and keeps everything it had.
constexpr std::string_view schema_v3 = R"sql(
CREATE TABLE IF NOT EXISTS device_data(
  device_key INTEGER NOT NULL REFERENCES devices(key), key TEXT NOT NULL, value TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY(device_key, key));
)sql";

constexpr std::string_view datum_query = "SELECT key, value, created_at, updated_at FROM device_data ";

device_datum read_datum(const statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3)};
}

}  // namespace

std::string_view sqlite::device_data_schema() { return schema_v3; }

std::vector<device_datum> sqlite_store::list_device_data(std::int64_t device_key) {
  statement query(db_, sql(datum_query, "WHERE device_key = ? ORDER BY key"));
  query.bind(1, device_key);
  return all_rows(query, read_datum);
}

store_result<device_datum> sqlite_store::find_device_datum(std::int64_t device_key, std::string_view key) {
  return one_row(db_, sql(datum_query, "WHERE device_key = ? AND key = ?"), read_datum, device_key, key);
}

store_done sqlite_store::insert_device_datum(std::int64_t device_key, const device_datum& datum) {
  return inserted_new(db_, execute(db_,
                                   "INSERT OR IGNORE INTO device_data(device_key, key, value, created_at, updated_at) "
                                   "VALUES(?, ?, ?, ?, ?)",
                                   device_key, datum.key, datum.value, datum.created_at, datum.updated_at));
}

store_done sqlite_store::update_device_datum(std::int64_t device_key, std::string_view key, std::string_view value,
                                             std::string_view updated_at) {
  return changed_one(db_, execute(db_, "UPDATE device_data SET value = ?, updated_at = ? WHERE device_key = ? AND key = ?",
                                  value, updated_at, device_key, key));
}

store_done sqlite_store::delete_device_datum(std::int64_t device_key, std::string_view key) {
  return changed_one(db_, execute(db_, "DELETE FROM device_data WHERE device_key = ? AND key = ?", device_key, key));
}

}  // namespace ads_sim
