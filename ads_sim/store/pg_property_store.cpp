// pg_store's properties, datapoints and the per-device queue.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

// Names sort byte-wise (COLLATE "C"), as SQLite's engine sorts them, whatever the database's locale.
std::string property_query(std::string_view tail) {
  std::string text("SELECT id, device_key, name, base_type, direction, value, updated_at FROM properties ");
  return text.append(tail);
}

// A property from the columns of property_query, from column `first` on.
property_record read_property_at(const result& rows, int row, int first) {
  property_record property;
  property.id = rows.integer(row, first);
  property.device_key = rows.integer(row, first + 1);
  property.name = rows.text(row, first + 2);
  property.type = from_text<base_type>(rows.text(row, first + 3)).value_or(base_type::string);
  property.dir = from_text<direction>(rows.text(row, first + 4)).value_or(direction::from_device);
  property.value_json = rows.optional_text(row, first + 5);
  property.updated_at = rows.optional_text(row, first + 6);
  return property;
}

property_record read_property(const result& rows, int row) { return read_property_at(rows, row, 0); }

command_record read_command(const result& rows, int row) {
  return {rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3)};
}

}  // namespace

store_result<property_record> property_table::find_property(std::int64_t device_key, std::string_view name) {
  return one_row(db_.query(property_query("WHERE device_key = $1 AND name = $2"), device_key, name), read_property);
}

store_result<property_record> property_table::find_property_by_id(std::int64_t property_id) {
  return one_row(db_.query(property_query("WHERE id = $1"), property_id), read_property);
}

std::vector<property_record> property_table::list_properties(std::int64_t device_key) {
  return all_rows(db_.query(property_query("WHERE device_key = $1 ORDER BY name COLLATE \"C\""), device_key),
                  read_property);
}

store_result<property_record> property_table::record_value(property_record property, std::string_view metadata_json,
                                                           std::string_view created_at) {
  property.updated_at = std::string(created_at);
  // One statement: the upsert and the datapoint with its new value, so a concurrent writer cannot slip between.
  const auto stored = db_.query(
      "WITH upserted AS (INSERT INTO properties(device_key, name, base_type, direction, value, updated_at) "
      "VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(device_key, name) DO UPDATE SET base_type = excluded.base_type, "
      "direction = excluded.direction, value = excluded.value, updated_at = excluded.updated_at RETURNING id) "
      "INSERT INTO datapoints(property_id, value, metadata, created_at) "
      "SELECT id, coalesce($5, 'null'), $7, $6 FROM upserted RETURNING property_id",
      property.device_key, property.name, to_text(property.type), to_text(property.dir), property.value_json,
      property.updated_at, metadata_json);
  if (auto done = written(stored); !done) return done.error();
  if (stored.rows() != 1) return store_error::database;
  property.id = stored.integer(0, 0);
  return property;
}

std::vector<datapoint_record> property_table::list_datapoints(std::int64_t property_id) {
  return all_rows(db_.query("SELECT value, metadata, created_at FROM datapoints WHERE property_id = $1 ORDER BY id",
                            property_id),
                  [](const result& rows, int row) {
                    return datapoint_record{rows.text(row, 0), rows.text(row, 1), rows.text(row, 2)};
                  });
}

store_done property_table::queue_property(std::int64_t device_key, std::string_view name,
                                          std::string_view created_at) {
  // Already queued: nothing to add (delivery reads the newest value); the partial unique index makes that hold
  // when two processes queue it at once.
  return written(db_.query("INSERT INTO commands(device_key, kind, property_name, state, created_at) "
                           "VALUES($1, 'property', $2, 'queued', $3) ON CONFLICT(device_key, property_name) "
                           "WHERE kind = 'property' AND state = 'queued' DO NOTHING",
                           device_key, name, created_at));
}

store_result<std::int64_t> property_table::queue_command(std::int64_t device_key, std::string_view method,
                                                         std::string_view resource, std::string_view data_json,
                                                         std::string_view created_at) {
  const auto inserted = db_.query("INSERT INTO commands(device_key, kind, method, resource, data, state, created_at) "
                                  "VALUES($1, 'cmd', $2, $3, $4, 'queued', $5) RETURNING id",
                                  device_key, method, resource, data_json, created_at);
  if (auto stored = written(inserted); !stored) return stored.error();
  return inserted.integer(0, 0);
}

bool property_table::has_queued(std::int64_t device_key) {
  const auto queued =
      db_.query("SELECT 1 FROM commands WHERE device_key = $1 AND state = 'queued' LIMIT 1", device_key);
  return queued.ok() && queued.rows() == 1;
}

command_batch property_table::take_queued(std::int64_t device_key, std::size_t limit) {
  return take(device_key, limit, false);
}

command_batch property_table::take_queued_commands(std::int64_t device_key, std::size_t limit) {
  return take(device_key, limit, true);
}

command_batch property_table::take(std::int64_t device_key, std::size_t limit, bool commands_only) {
  // One statement: the oldest queued entries are locked (FOR UPDATE) and marked — property entries done once
  // delivered, commands waiting for their status PUT — and returned with their property's current value. A second
  // process taking at once waits for the lock, then finds them no longer queued: each entry is delivered once.
  const std::string only_commands = commands_only ? " AND kind = 'cmd'" : "";
  const auto taken = db_.query(
      "WITH taken AS (SELECT id FROM commands WHERE device_key = $1 AND state = 'queued'" + only_commands +
          " ORDER BY id LIMIT $2 FOR UPDATE), "
          "marked AS (UPDATE commands c SET state = CASE c.kind WHEN 'property' THEN 'done' ELSE 'delivered' END "
          "FROM taken WHERE c.id = taken.id RETURNING c.id, coalesce(c.method, '') AS method, "
          "coalesce(c.resource, '') AS resource, coalesce(c.data, '') AS data, c.kind, c.property_name) "
          "SELECT m.id, m.method, m.resource, m.data, m.kind, p.id, p.device_key, p.name, p.base_type, p.direction, "
          "p.value, p.updated_at, (SELECT count(*) FROM commands WHERE device_key = $1 AND state = 'queued'" +
          only_commands +
          ") > $2 FROM marked m LEFT JOIN properties p ON m.kind = 'property' AND p.device_key = $1 "
          "AND p.name = m.property_name ORDER BY m.id",
      device_key, static_cast<std::int64_t>(limit));
  command_batch batch;
  for (int row = 0; row < taken.rows(); ++row) {
    if (taken.text(row, 4) == "cmd")
      batch.cmds.push_back(read_command(taken, row));
    else if (!taken.is_null(row, 5))  // a property entry whose property is gone is dropped
      batch.properties.push_back(read_property_at(taken, row, 5));
    batch.more = taken.text(row, 12) == "t";  // the count before this statement's marks
  }
  return batch;
}

std::vector<command_record> property_table::unanswered_commands(std::int64_t device_key) {
  return all_rows(db_.query("SELECT id, method, resource, data FROM commands "
                            "WHERE device_key = $1 AND kind = 'cmd' AND state = 'delivered' ORDER BY id",
                            device_key),
                  read_command);
}

store_done property_table::set_command_status(std::int64_t device_key, std::int64_t command_id,
                                              std::int64_t status) {
  return changed_one(db_.query("UPDATE commands SET state = 'done', status = $1 "
                               "WHERE id = $2 AND device_key = $3 AND kind = 'cmd'",
                               status, command_id, device_key));
}

}  // namespace ads_sim::pg
