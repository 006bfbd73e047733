// pg_store's OEMs, their provision keys and which key provisioned which device.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

oem_record read_oem(const result& rows, int row) {
  return {rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3)};
}

provision_key_record read_provision_key(const result& rows, int row) {
  return {rows.text(row, 0), rows.text(row, 1), rows.text(row, 2)};
}

}  // namespace

store_done oem_table::insert_oem(const oem_record& oem, std::string_view created_at) {
  return inserted_new(db_.query("INSERT INTO oems(oem_id, name, email, secret, created_at) VALUES($1, $2, $3, $4, $5) "
                                "ON CONFLICT DO NOTHING",
                                oem.oem_id, oem.name, oem.email, oem.secret, created_at));
}

store_result<oem_record> oem_table::find_oem(std::string_view oem_id) {
  return one_row(db_.query("SELECT oem_id, name, email, secret FROM oems WHERE oem_id = $1", oem_id), read_oem);
}

std::vector<oem_record> oem_table::list_oems() {
  return all_rows(db_.query("SELECT oem_id, name, email, secret FROM oems ORDER BY seq"), read_oem);
}

store_done oem_table::insert_provision_key(const provision_key_record& key, std::string_view created_at) {
  return inserted_new(db_.query("INSERT INTO provision_keys(key_id, oem_id, public_key, created_at) "
                                "VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                key.key_id, key.oem_id, key.public_key_pem, created_at));
}

store_result<provision_key_record> oem_table::find_provision_key(std::string_view key_id) {
  return one_row(db_.query("SELECT key_id, oem_id, public_key FROM provision_keys WHERE key_id = $1", key_id),
                 read_provision_key);
}

std::vector<provision_key_record> oem_table::list_provision_keys(std::string_view oem_id) {
  return all_rows(
      db_.query("SELECT key_id, oem_id, public_key FROM provision_keys WHERE oem_id = $1 ORDER BY seq", oem_id),
      read_provision_key);
}

store_done oem_table::record_provisioned(std::int64_t device_key, std::string_view key_id) {
  return written(db_.query("INSERT INTO provisioned_devices(device_key, key_id) VALUES($1, $2) ON CONFLICT DO NOTHING",
                           device_key, key_id));
}

std::int64_t oem_table::count_provisioned(std::string_view key_id) {
  const auto count = db_.query("SELECT count(*) FROM provisioned_devices WHERE key_id = $1", key_id);
  return count.ok() && count.rows() == 1 ? count.integer(0, 0) : 0;
}

}  // namespace ads_sim::pg
