// sqlite_store's properties, datapoints, the per-device queue, and templates.
#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

using namespace sqlite;

namespace {

constexpr std::string_view property_query =
    "SELECT id, device_key, name, base_type, direction, value, updated_at FROM properties ";

property_record read_property(const statement& row) {
  property_record property;
  property.id = row.column_int(0);
  property.device_key = row.column_int(1);
  property.name = row.column_text(2);
  property.type = from_text<base_type>(row.column_text(3)).value_or(base_type::string);
  property.dir = from_text<direction>(row.column_text(4)).value_or(direction::from_device);
  property.value_json = row.column_optional_text(5);
  property.updated_at = row.column_optional_text(6);
  return property;
}

command_record read_command(const statement& row) {
  return {row.column_int(0), row.column_text(1), row.column_text(2), row.column_text(3)};
}

}  // namespace

store_result<property_record> sqlite_store::find_property(std::int64_t device_key, std::string_view name) {
  return one_row(db_, sql(property_query, "WHERE device_key = ? AND name = ?"), read_property, device_key, name);
}

store_result<property_record> sqlite_store::find_property_by_id(std::int64_t property_id) {
  return one_row(db_, sql(property_query, "WHERE id = ?"), read_property, property_id);
}

std::vector<property_record> sqlite_store::list_properties(std::int64_t device_key) {
  statement query(db_, sql(property_query, "WHERE device_key = ? ORDER BY name"));
  query.bind(1, device_key);
  return all_rows(query, read_property);
}

store_result<property_record> sqlite_store::record_value(property_record property, std::string_view metadata_json,
                                                         std::string_view created_at) {
  transaction tx(db_);
  statement upsert(db_,
                   "INSERT INTO properties(device_key, name, base_type, direction, value, updated_at) "
                   "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(device_key, name) DO UPDATE SET "
                   "base_type = excluded.base_type, direction = excluded.direction, value = excluded.value, "
                   "updated_at = excluded.updated_at");
  property.updated_at = std::string(created_at);
  upsert.bind(1, property.device_key).bind(2, property.name).bind(3, to_text(property.type));
  upsert.bind(4, to_text(property.dir)).bind_optional(5, property.value_json).bind_optional(6, property.updated_at);
  if (auto stored = written(db_, upsert.run()); !stored) return stored.error();
  statement id(db_, "SELECT id FROM properties WHERE device_key = ? AND name = ?");
  id.bind(1, property.device_key).bind(2, property.name);
  if (!id.step()) return store_error::database;
  property.id = id.column_int(0);
  if (!execute(db_, "INSERT INTO datapoints(property_id, value, metadata, created_at) VALUES(?, ?, ?, ?)",
               property.id, property.value_json.value_or("null"), metadata_json, created_at) ||
      !tx.commit())
    return store_error::database;
  return property;
}

std::vector<datapoint_record> sqlite_store::list_datapoints(std::int64_t property_id) {
  statement query(db_, "SELECT value, metadata, created_at FROM datapoints WHERE property_id = ? ORDER BY id");
  query.bind(1, property_id);
  return all_rows(query, [](const statement& row) {
    return datapoint_record{row.column_text(0), row.column_text(1), row.column_text(2)};
  });
}

store_done sqlite_store::queue_property(std::int64_t device_key, std::string_view name, std::string_view created_at) {
  statement queued(db_,
                   "SELECT 1 FROM commands WHERE device_key = ? AND kind = 'property' AND property_name = ? "
                   "AND state = 'queued'");
  queued.bind(1, device_key).bind(2, name);
  if (queued.step()) return common::done{};  // already queued: delivery reads the newest value
  if (queued.failed()) return store_error::database;
  return written(db_, execute(db_,
                              "INSERT INTO commands(device_key, kind, property_name, state, created_at) "
                              "VALUES(?, 'property', ?, 'queued', ?)",
                              device_key, name, created_at));
}

store_result<std::int64_t> sqlite_store::queue_command(std::int64_t device_key, std::string_view method,
                                                       std::string_view resource, std::string_view data_json,
                                                       std::string_view created_at) {
  const bool ran = execute(db_,
                           "INSERT INTO commands(device_key, kind, method, resource, data, state, created_at) "
                           "VALUES(?, 'cmd', ?, ?, ?, 'queued', ?)",
                           device_key, method, resource, data_json, created_at);
  if (auto stored = written(db_, ran); !stored) return stored.error();
  return db_.last_insert_id();
}

bool sqlite_store::has_queued(std::int64_t device_key) {
  statement query(db_, "SELECT 1 FROM commands WHERE device_key = ? AND state = 'queued' LIMIT 1");
  query.bind(1, device_key);
  return query.step();
}

command_batch sqlite_store::take_queued(std::int64_t device_key, std::size_t limit) {
  return take(device_key, limit, false);
}

command_batch sqlite_store::take_queued_commands(std::int64_t device_key, std::size_t limit) {
  return take(device_key, limit, true);
}

command_batch sqlite_store::take(std::int64_t device_key, std::size_t limit, bool commands_only) {
  command_batch batch;
  transaction tx(db_);
  statement query(db_, std::string("SELECT id, method, resource, data, kind, property_name FROM commands "
                                   "WHERE device_key = ? AND state = 'queued'") +
                           (commands_only ? " AND kind = 'cmd'" : "") + " ORDER BY id LIMIT ?");
  query.bind(1, device_key).bind(2, static_cast<std::int64_t>(limit + 1));
  std::vector<std::int64_t> taken;
  while (query.step()) {
    if (taken.size() == limit) {
      batch.more = true;
      break;
    }
    taken.push_back(query.column_int(0));
    if (query.column_text(4) == "cmd") {
      batch.cmds.push_back(read_command(query));
    } else if (auto property = find_property(device_key, query.column_text(5))) {
      batch.properties.push_back(std::move(*property));
    }
  }
  for (const auto id : taken) {
    // Property entries are done once delivered; commands wait for their status PUT.
    execute(db_, "UPDATE commands SET state = CASE kind WHEN 'property' THEN 'done' ELSE 'delivered' END WHERE id = ?",
            id);
  }
  tx.commit();
  return batch;
}

std::vector<command_record> sqlite_store::unanswered_commands(std::int64_t device_key) {
  statement query(db_,
                  "SELECT id, method, resource, data FROM commands "
                  "WHERE device_key = ? AND kind = 'cmd' AND state = 'delivered' ORDER BY id");
  query.bind(1, device_key);
  return all_rows(query, read_command);
}

store_done sqlite_store::set_command_status(std::int64_t device_key, std::int64_t command_id, std::int64_t status) {
  return changed_one(db_, execute(db_,
                                  "UPDATE commands SET state = 'done', status = ? "
                                  "WHERE id = ? AND device_key = ? AND kind = 'cmd'",
                                  status, command_id, device_key));
}

store_done sqlite_store::replace_template(std::string_view oem_id, std::string_view model,
                                          const std::vector<template_property>& list) {
  transaction tx(db_);
  if (!execute(db_, "DELETE FROM template_properties WHERE oem_id = ? AND model = ?", oem_id, model) ||
      !execute(db_, "INSERT OR IGNORE INTO templates(oem_id, model) VALUES(?, ?)", oem_id, model))
    return store_error::database;
  for (const auto& property : list) {
    const bool ran = execute(db_,
                             "INSERT INTO template_properties(oem_id, model, name, base_type, direction) "
                             "VALUES(?, ?, ?, ?, ?)",
                             oem_id, model, property.name, to_text(property.type), to_text(property.dir));
    if (auto stored = written(db_, ran); !stored) return stored;
  }
  if (!tx.commit()) return store_error::database;
  return common::done{};
}

store_result<std::vector<template_property>> sqlite_store::find_template(std::string_view oem_id,
                                                                         std::string_view model) {
  statement exists(db_, "SELECT 1 FROM templates WHERE oem_id = ? AND model = ?");
  exists.bind(1, oem_id).bind(2, model);
  if (!exists.step()) return exists.failed() ? store_error::database : store_error::not_found;
  statement query(db_,
                  "SELECT name, base_type, direction FROM template_properties WHERE oem_id = ? AND model = ? "
                  "ORDER BY name");
  query.bind(1, oem_id).bind(2, model);
  return all_rows(query, [](const statement& row) {
    return template_property{row.column_text(0), from_text<base_type>(row.column_text(1)).value_or(base_type::string),
                             from_text<direction>(row.column_text(2)).value_or(direction::from_device)};
  });
}

}  // namespace ads_sim
