// pg_store's device metadata: a device's key/value pairs (the application API's /apiv1/dsns/<DSN>/data).
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

std::string datum_query(std::string_view tail) {
  std::string text("SELECT key, value, created_at, updated_at FROM device_data ");
  return text.append(tail);
}

device_datum read_datum(const result& rows, int row) {
  return {rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3)};
}

}  // namespace

std::vector<device_datum> device_data_table::list_device_data(std::int64_t device_key) {
  // COLLATE "C": keys sort byte-wise, as the SQLite engine sorts them.
  return all_rows(db_.query(datum_query("WHERE device_key = $1 ORDER BY key COLLATE \"C\""), device_key), read_datum);
}

store_result<device_datum> device_data_table::find_device_datum(std::int64_t device_key, std::string_view key) {
  return one_row(db_.query(datum_query("WHERE device_key = $1 AND key = $2"), device_key, key), read_datum);
}

store_done device_data_table::insert_device_datum(std::int64_t device_key, const device_datum& datum) {
  return inserted_new(db_.query("INSERT INTO device_data(device_key, key, value, created_at, updated_at) "
                                "VALUES($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                device_key, datum.key, datum.value, datum.created_at, datum.updated_at));
}

store_done device_data_table::update_device_datum(std::int64_t device_key, std::string_view key,
                                                  std::string_view value, std::string_view updated_at) {
  return changed_one(db_.query("UPDATE device_data SET value = $1, updated_at = $2 WHERE device_key = $3 AND key = $4",
                               value, updated_at, device_key, key));
}

store_done device_data_table::delete_device_datum(std::int64_t device_key, std::string_view key) {
  return changed_one(db_.query("DELETE FROM device_data WHERE device_key = $1 AND key = $2", device_key, key));
}

}  // namespace ads_sim::pg
