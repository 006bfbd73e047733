#include "ads_sim/store.hpp"

#include <sqlite3.h>

#include <array>
#include <cstdio>

namespace ads_sim {
namespace {

constexpr std::array<std::string_view, 4> base_type_names = {"boolean", "integer", "decimal", "string"};

constexpr std::string_view schema = R"sql(
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oems(
  oem_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS provision_keys(
  key_id TEXT PRIMARY KEY, oem_id TEXT NOT NULL REFERENCES oems(oem_id), public_key TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices(
  key INTEGER PRIMARY KEY AUTOINCREMENT, dsn TEXT NOT NULL UNIQUE, oem_id TEXT NOT NULL REFERENCES oems(oem_id),
  model TEXT NOT NULL, hwid TEXT, public_key TEXT NOT NULL, private_key TEXT NOT NULL,
  fw_version TEXT NOT NULL DEFAULT '', template_version TEXT NOT NULL DEFAULT '',
  last_seen INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, UNIQUE(oem_id, hwid));
CREATE TABLE IF NOT EXISTS provisioned_devices(
  device_key INTEGER PRIMARY KEY REFERENCES devices(key), key_id TEXT NOT NULL REFERENCES provision_keys(key_id));
CREATE INDEX IF NOT EXISTS provisioned_by_key ON provisioned_devices(key_id);
CREATE TABLE IF NOT EXISTS properties(
  id INTEGER PRIMARY KEY AUTOINCREMENT, device_key INTEGER NOT NULL REFERENCES devices(key), name TEXT NOT NULL,
  base_type TEXT NOT NULL, direction TEXT NOT NULL, value TEXT, updated_at TEXT, UNIQUE(device_key, name));
CREATE TABLE IF NOT EXISTS datapoints(
  id INTEGER PRIMARY KEY AUTOINCREMENT, property_id INTEGER NOT NULL REFERENCES properties(id),
  value TEXT NOT NULL, metadata TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS datapoints_by_property ON datapoints(property_id, id);
CREATE TABLE IF NOT EXISTS commands(
  id INTEGER PRIMARY KEY AUTOINCREMENT, device_key INTEGER NOT NULL REFERENCES devices(key),
  kind TEXT NOT NULL CHECK(kind IN ('property', 'cmd')), property_name TEXT, method TEXT, resource TEXT, data TEXT,
  state TEXT NOT NULL CHECK(state IN ('queued', 'delivered', 'done')), status INTEGER, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS commands_by_device ON commands(device_key, state, id);
CREATE TABLE IF NOT EXISTS auth_tokens(
  token_hash TEXT PRIMARY KEY, device_key INTEGER NOT NULL REFERENCES devices(key), expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS images(
  image_id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL CHECK(type IN ('module', 'host')),
  model TEXT NOT NULL, version TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ota_jobs(
  job_id INTEGER PRIMARY KEY AUTOINCREMENT, image_id INTEGER NOT NULL REFERENCES images(image_id),
  oem_model TEXT, status TEXT NOT NULL DEFAULT 'none', created_at TEXT NOT NULL, started_at TEXT);
CREATE TABLE IF NOT EXISTS ota_job_devices(
  job_id INTEGER NOT NULL REFERENCES ota_jobs(job_id), device_key INTEGER NOT NULL REFERENCES devices(key),
  command_id INTEGER REFERENCES commands(id), state TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY(job_id, device_key));
CREATE TABLE IF NOT EXISTS templates(oem_id TEXT NOT NULL, model TEXT NOT NULL, PRIMARY KEY(oem_id, model));
CREATE TABLE IF NOT EXISTS template_properties(
  oem_id TEXT NOT NULL, model TEXT NOT NULL, name TEXT NOT NULL, base_type TEXT NOT NULL, direction TEXT NOT NULL,
  PRIMARY KEY(oem_id, model, name));
INSERT OR IGNORE INTO meta(name, value) VALUES('schema_version', '1'), ('next_dsn', '1');
)sql";

constexpr std::string_view device_columns =
    "key, dsn, oem_id, model, hwid, public_key, private_key, fw_version, template_version, last_seen";

device_record read_device(const statement& row) {
  device_record device;
  device.key = row.column_int(0);
  device.dsn = row.column_text(1);
  device.oem_id = row.column_text(2);
  device.model = row.column_text(3);
  device.hwid = row.column_optional_text(4);
  device.public_key = row.column_text(5);
  device.private_key_pem = row.column_text(6);
  device.fw_version = row.column_text(7);
  device.template_version = row.column_text(8);
  device.last_seen = row.column_int(9);
  return device;
}

constexpr std::string_view property_columns = "id, device_key, name, base_type, direction, value, updated_at";

property_record read_property(const statement& row) {
  property_record property;
  property.id = row.column_int(0);
  property.device_key = row.column_int(1);
  property.name = row.column_text(2);
  property.type = parse_base_type(row.column_text(3)).value_or(base_type::string);
  property.dir = parse_direction(row.column_text(4)).value_or(direction::from_device);
  property.value_json = row.column_optional_text(5);
  property.updated_at = row.column_optional_text(6);
  return property;
}

std::string sql(std::string_view head, std::string_view columns, std::string_view tail) {
  return std::string(head) + std::string(columns) + std::string(tail);
}

}  // namespace

std::optional<base_type> parse_base_type(std::string_view name) {
  for (std::size_t i = 0; i < base_type_names.size(); ++i)
    if (base_type_names[i] == name) return static_cast<base_type>(i);
  return std::nullopt;
}

std::string_view base_type_name(base_type type) { return base_type_names[static_cast<std::size_t>(type)]; }

std::string_view direction_name(direction dir) { return dir == direction::to_device ? "input" : "output"; }

std::optional<direction> parse_direction(std::string_view name) {
  // Databases written before the Ayla names hold "to_device" / "from_device".
  if (name == "input" || name == "to_device") return direction::to_device;
  if (name == "output" || name == "from_device") return direction::from_device;
  return std::nullopt;
}

store::store(const std::filesystem::path& file) : db_(file) {
  if (db_.ok()) create_schema();
}

bool store::create_schema() { return db_.exec(schema); }

bool store::insert_oem(const oem_record& oem, std::string_view created_at) {
  statement insert(db_, "INSERT OR IGNORE INTO oems(oem_id, name, email, secret, created_at) VALUES(?, ?, ?, ?, ?)");
  insert.bind(1, oem.oem_id).bind(2, oem.name).bind(3, oem.email).bind(4, oem.secret).bind(5, created_at);
  return insert.run() && db_.changes() == 1;
}

std::optional<oem_record> store::find_oem(std::string_view oem_id) {
  statement query(db_, "SELECT oem_id, name, email, secret FROM oems WHERE oem_id = ?");
  query.bind(1, oem_id);
  if (!query.step()) return std::nullopt;
  return oem_record{query.column_text(0), query.column_text(1), query.column_text(2), query.column_text(3)};
}

std::vector<oem_record> store::list_oems() {
  std::vector<oem_record> oems;
  statement query(db_, "SELECT oem_id, name, email, secret FROM oems ORDER BY rowid");
  while (query.step())
    oems.push_back({query.column_text(0), query.column_text(1), query.column_text(2), query.column_text(3)});
  return oems;
}

bool store::insert_provision_key(const provision_key_record& key, std::string_view created_at) {
  statement insert(db_,
                   "INSERT OR IGNORE INTO provision_keys(key_id, oem_id, public_key, created_at) VALUES(?, ?, ?, ?)");
  insert.bind(1, key.key_id).bind(2, key.oem_id).bind(3, key.public_key_pem).bind(4, created_at);
  return insert.run() && db_.changes() == 1;
}

std::optional<provision_key_record> store::find_provision_key(std::string_view key_id) {
  statement query(db_, "SELECT key_id, oem_id, public_key FROM provision_keys WHERE key_id = ?");
  query.bind(1, key_id);
  if (!query.step()) return std::nullopt;
  return provision_key_record{query.column_text(0), query.column_text(1), query.column_text(2)};
}

std::vector<provision_key_record> store::list_provision_keys(std::string_view oem_id) {
  std::vector<provision_key_record> keys;
  statement query(db_, "SELECT key_id, oem_id, public_key FROM provision_keys WHERE oem_id = ? ORDER BY rowid");
  query.bind(1, oem_id);
  while (query.step()) keys.push_back({query.column_text(0), query.column_text(1), query.column_text(2)});
  return keys;
}

std::string store::next_dsn() {
  statement query(db_, "SELECT value FROM meta WHERE name = 'next_dsn'");
  const std::int64_t number = query.step() ? std::stoll(query.column_text(0)) : 1;
  statement update(db_, "UPDATE meta SET value = ? WHERE name = 'next_dsn'");
  update.bind(1, std::to_string(number + 1)).run();
  char dsn[32];
  std::snprintf(dsn, sizeof dsn, "AC000W%09lld", static_cast<long long>(number));
  return dsn;
}

std::optional<device_record> store::insert_device(device_record device, std::string_view created_at) {
  transaction tx(db_);
  device.dsn = next_dsn();
  statement insert(db_,
                   "INSERT INTO devices(dsn, oem_id, model, hwid, public_key, private_key, fw_version, "
                   "template_version, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, device.dsn).bind(2, device.oem_id).bind(3, device.model).bind_optional(4, device.hwid);
  insert.bind(5, device.public_key).bind(6, device.private_key_pem).bind(7, device.fw_version);
  insert.bind(8, device.template_version).bind(9, created_at);
  if (!insert.run()) return std::nullopt;
  device.key = db_.last_insert_id();
  if (!tx.commit()) return std::nullopt;
  return device;
}

std::optional<device_record> store::find_device(std::int64_t key) {
  statement query(db_, sql("SELECT ", device_columns, " FROM devices WHERE key = ?"));
  query.bind(1, key);
  if (!query.step()) return std::nullopt;
  return read_device(query);
}

std::optional<device_record> store::find_device_by_dsn(std::string_view dsn) {
  statement query(db_, sql("SELECT ", device_columns, " FROM devices WHERE dsn = ?"));
  query.bind(1, dsn);
  if (!query.step()) return std::nullopt;
  return read_device(query);
}

std::optional<device_record> store::find_device_by_hwid(std::string_view oem_id, std::string_view hwid) {
  statement query(db_, sql("SELECT ", device_columns, " FROM devices WHERE oem_id = ? AND hwid = ?"));
  query.bind(1, oem_id).bind(2, hwid);
  if (!query.step()) return std::nullopt;
  return read_device(query);
}

std::vector<device_record> store::list_devices() {
  std::vector<device_record> devices;
  statement query(db_, sql("SELECT ", device_columns, " FROM devices ORDER BY key"));
  while (query.step()) devices.push_back(read_device(query));
  return devices;
}

bool store::update_device(const device_record& device) {
  statement update(db_,
                   "UPDATE devices SET model = ?, hwid = ?, fw_version = ?, template_version = ? WHERE key = ?");
  update.bind(1, device.model).bind_optional(2, device.hwid).bind(3, device.fw_version).bind(4, device.template_version);
  update.bind(5, device.key);
  return update.run() && db_.changes() == 1;
}

bool store::record_provisioned(std::int64_t device_key, std::string_view key_id) {
  statement insert(db_, "INSERT OR IGNORE INTO provisioned_devices(device_key, key_id) VALUES(?, ?)");
  insert.bind(1, device_key).bind(2, key_id);
  return insert.run();
}

std::int64_t store::count_provisioned(std::string_view key_id) {
  statement query(db_, "SELECT COUNT(*) FROM provisioned_devices WHERE key_id = ?");
  query.bind(1, key_id);
  return query.step() ? query.column_int(0) : 0;
}

void store::set_last_seen(std::int64_t key, std::int64_t unix_secs) {
  statement update(db_, "UPDATE devices SET last_seen = ? WHERE key = ?");
  update.bind(1, unix_secs).bind(2, key).run();
}

std::optional<property_record> store::find_property(std::int64_t device_key, std::string_view name) {
  statement query(db_, sql("SELECT ", property_columns, " FROM properties WHERE device_key = ? AND name = ?"));
  query.bind(1, device_key).bind(2, name);
  if (!query.step()) return std::nullopt;
  return read_property(query);
}

std::vector<property_record> store::list_properties(std::int64_t device_key) {
  std::vector<property_record> properties;
  statement query(db_, sql("SELECT ", property_columns, " FROM properties WHERE device_key = ? ORDER BY name"));
  query.bind(1, device_key);
  while (query.step()) properties.push_back(read_property(query));
  return properties;
}

std::optional<property_record> store::record_value(property_record property, std::string_view metadata_json,
                                                   std::string_view created_at) {
  transaction tx(db_);
  statement upsert(db_,
                   "INSERT INTO properties(device_key, name, base_type, direction, value, updated_at) "
                   "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(device_key, name) DO UPDATE SET "
                   "base_type = excluded.base_type, direction = excluded.direction, value = excluded.value, "
                   "updated_at = excluded.updated_at");
  property.updated_at = std::string(created_at);
  upsert.bind(1, property.device_key).bind(2, property.name).bind(3, base_type_name(property.type));
  upsert.bind(4, direction_name(property.dir)).bind_optional(5, property.value_json).bind_optional(6, property.updated_at);
  if (!upsert.run()) return std::nullopt;
  statement id(db_, "SELECT id FROM properties WHERE device_key = ? AND name = ?");
  id.bind(1, property.device_key).bind(2, property.name);
  if (!id.step()) return std::nullopt;
  property.id = id.column_int(0);
  statement insert(db_, "INSERT INTO datapoints(property_id, value, metadata, created_at) VALUES(?, ?, ?, ?)");
  insert.bind(1, property.id).bind(2, property.value_json.value_or("null")).bind(3, metadata_json);
  insert.bind(4, created_at);
  if (!insert.run() || !tx.commit()) return std::nullopt;
  return property;
}

std::vector<datapoint_record> store::list_datapoints(std::int64_t property_id) {
  std::vector<datapoint_record> datapoints;
  statement query(db_, "SELECT value, metadata, created_at FROM datapoints WHERE property_id = ? ORDER BY id");
  query.bind(1, property_id);
  while (query.step()) datapoints.push_back({query.column_text(0), query.column_text(1), query.column_text(2)});
  return datapoints;
}

bool store::replace_template(std::string_view oem_id, std::string_view model,
                             const std::vector<template_property>& list) {
  transaction tx(db_);
  statement forget(db_, "DELETE FROM template_properties WHERE oem_id = ? AND model = ?");
  forget.bind(1, oem_id).bind(2, model);
  statement mark(db_, "INSERT OR IGNORE INTO templates(oem_id, model) VALUES(?, ?)");
  mark.bind(1, oem_id).bind(2, model);
  if (!forget.run() || !mark.run()) return false;
  for (const auto& property : list) {
    statement insert(db_,
                     "INSERT INTO template_properties(oem_id, model, name, base_type, direction) VALUES(?, ?, ?, ?, ?)");
    insert.bind(1, oem_id).bind(2, model).bind(3, property.name).bind(4, base_type_name(property.type));
    insert.bind(5, direction_name(property.dir));
    if (!insert.run()) return false;
  }
  return tx.commit();
}

std::optional<std::vector<template_property>> store::find_template(std::string_view oem_id, std::string_view model) {
  statement exists(db_, "SELECT 1 FROM templates WHERE oem_id = ? AND model = ?");
  exists.bind(1, oem_id).bind(2, model);
  if (!exists.step()) return std::nullopt;
  std::vector<template_property> list;
  statement query(db_,
                  "SELECT name, base_type, direction FROM template_properties WHERE oem_id = ? AND model = ? "
                  "ORDER BY name");
  query.bind(1, oem_id).bind(2, model);
  while (query.step())
    list.push_back({query.column_text(0), parse_base_type(query.column_text(1)).value_or(base_type::string),
                    parse_direction(query.column_text(2)).value_or(direction::from_device)});
  return list;
}

bool store::queue_property(std::int64_t device_key, std::string_view name, std::string_view created_at) {
  statement queued(db_,
                   "SELECT 1 FROM commands WHERE device_key = ? AND kind = 'property' AND property_name = ? "
                   "AND state = 'queued'");
  queued.bind(1, device_key).bind(2, name);
  if (queued.step()) return true;  // already queued: delivery reads the newest value
  statement insert(db_,
                   "INSERT INTO commands(device_key, kind, property_name, state, created_at) "
                   "VALUES(?, 'property', ?, 'queued', ?)");
  insert.bind(1, device_key).bind(2, name).bind(3, created_at);
  return insert.run();
}

std::optional<std::int64_t> store::queue_command(std::int64_t device_key, std::string_view method,
                                                 std::string_view resource, std::string_view data_json,
                                                 std::string_view created_at) {
  statement insert(db_,
                   "INSERT INTO commands(device_key, kind, method, resource, data, state, created_at) "
                   "VALUES(?, 'cmd', ?, ?, ?, 'queued', ?)");
  insert.bind(1, device_key).bind(2, method).bind(3, resource).bind(4, data_json).bind(5, created_at);
  if (!insert.run()) return std::nullopt;
  return db_.last_insert_id();
}

bool store::has_queued(std::int64_t device_key) {
  statement query(db_, "SELECT 1 FROM commands WHERE device_key = ? AND state = 'queued' LIMIT 1");
  query.bind(1, device_key);
  return query.step();
}

command_batch store::take_queued(std::int64_t device_key, std::size_t limit) { return take(device_key, limit, false); }

command_batch store::take_queued_commands(std::int64_t device_key, std::size_t limit) {
  return take(device_key, limit, true);
}

command_batch store::take(std::int64_t device_key, std::size_t limit, bool commands_only) {
  command_batch batch;
  transaction tx(db_);
  statement query(db_, std::string("SELECT id, kind, property_name, method, resource, data FROM commands "
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
    if (query.column_text(1) == "cmd") {
      batch.cmds.push_back({query.column_int(0), query.column_text(3), query.column_text(4), query.column_text(5)});
    } else if (auto property = find_property(device_key, query.column_text(2))) {
      batch.properties.push_back(std::move(*property));
    }
  }
  for (const auto id : taken) {
    // Property entries are done once delivered; commands wait for their status PUT.
    statement update(db_,
                     "UPDATE commands SET state = CASE kind WHEN 'property' THEN 'done' ELSE 'delivered' END "
                     "WHERE id = ?");
    update.bind(1, id).run();
  }
  tx.commit();
  return batch;
}

std::vector<command_record> store::unanswered_commands(std::int64_t device_key) {
  statement query(db_,
                  "SELECT id, method, resource, data FROM commands "
                  "WHERE device_key = ? AND kind = 'cmd' AND state = 'delivered' ORDER BY id");
  query.bind(1, device_key);
  std::vector<command_record> cmds;
  while (query.step())
    cmds.push_back({query.column_int(0), query.column_text(1), query.column_text(2), query.column_text(3)});
  return cmds;
}

bool store::set_command_status(std::int64_t device_key, std::int64_t command_id, std::int64_t status) {
  statement update(db_,
                   "UPDATE commands SET state = 'done', status = ? WHERE id = ? AND device_key = ? AND kind = 'cmd'");
  update.bind(1, status).bind(2, command_id).bind(3, device_key);
  return update.run() && db_.changes() == 1;
}

bool store::insert_token(std::string_view token_hash, std::int64_t device_key, std::int64_t expires_at) {
  statement purge(db_, "DELETE FROM auth_tokens WHERE expires_at < ?");
  purge.bind(1, expires_at - 2 * 3600).run();
  statement insert(db_, "INSERT OR REPLACE INTO auth_tokens(token_hash, device_key, expires_at) VALUES(?, ?, ?)");
  insert.bind(1, token_hash).bind(2, device_key).bind(3, expires_at);
  return insert.run();
}

std::optional<std::int64_t> store::find_token(std::string_view token_hash, std::int64_t now) {
  statement query(db_, "SELECT device_key FROM auth_tokens WHERE token_hash = ? AND expires_at > ?");
  query.bind(1, token_hash).bind(2, now);
  if (!query.step()) return std::nullopt;
  return query.column_int(0);
}

namespace {

constexpr std::string_view image_columns = "image_id, type, model, version, size, sha256";

image_record read_image_row(const statement& row) {
  return image_record{row.column_int(0), row.column_text(1), row.column_text(2),
                      row.column_text(3), row.column_int(4), row.column_text(5)};
}

}  // namespace

std::optional<image_record> store::insert_image(image_record image, std::string_view data,
                                                std::string_view created_at) {
  statement insert(db_,
                   "INSERT INTO images(type, model, version, size, sha256, data, created_at) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, image.type).bind(2, image.model).bind(3, image.version).bind(4, image.size).bind(5, image.sha256);
  insert.bind_blob(6, data).bind(7, created_at);
  if (!insert.run()) return std::nullopt;
  image.image_id = db_.last_insert_id();
  return image;
}

std::optional<image_record> store::find_image(std::int64_t image_id) {
  statement query(db_, sql("SELECT ", image_columns, " FROM images WHERE image_id = ?"));
  query.bind(1, image_id);
  if (!query.step()) return std::nullopt;
  return read_image_row(query);
}

std::vector<image_record> store::list_images() {
  std::vector<image_record> images;
  statement query(db_, sql("SELECT ", image_columns, " FROM images ORDER BY image_id"));
  while (query.step()) images.push_back(read_image_row(query));
  return images;
}

std::optional<std::string> store::read_image(std::int64_t image_id, std::int64_t offset, std::int64_t length) {
  // Incremental BLOB I/O reads just the range; substr() would load the whole image for every range (quadratic
  // in the image's size over a download).
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db_.native(), "main", "images", "data", image_id, 0, &blob) != SQLITE_OK) {
    sqlite3_blob_close(blob);
    return std::nullopt;
  }
  const std::int64_t size = sqlite3_blob_bytes(blob);
  std::optional<std::string> bytes;
  if (offset >= 0 && length >= 0 && offset <= size) {
    bytes.emplace(static_cast<std::size_t>(std::min(length, size - offset)), '\0');
    if (!bytes->empty() &&
        sqlite3_blob_read(blob, bytes->data(), static_cast<int>(bytes->size()), static_cast<int>(offset)) != SQLITE_OK) {
      bytes.reset();
    }
  }
  sqlite3_blob_close(blob);
  return bytes;
}

std::optional<std::int64_t> store::insert_ota_job(std::int64_t image_id, const std::optional<std::string>& oem_model,
                                                  const std::vector<std::int64_t>& device_keys,
                                                  std::string_view created_at) {
  transaction tx(db_);
  statement insert(db_, "INSERT INTO ota_jobs(image_id, oem_model, status, created_at) VALUES(?, ?, 'none', ?)");
  insert.bind(1, image_id).bind_optional(2, oem_model).bind(3, created_at);
  if (!insert.run()) return std::nullopt;
  const std::int64_t job_id = db_.last_insert_id();
  for (const auto key : device_keys) {
    statement target(db_, "INSERT OR IGNORE INTO ota_job_devices(job_id, device_key, state) VALUES(?, ?, 'pending')");
    target.bind(1, job_id).bind(2, key);
    if (!target.run()) return std::nullopt;
  }
  if (!tx.commit()) return std::nullopt;
  return job_id;
}

std::optional<ota_job_record> store::find_ota_job(std::int64_t job_id) {
  statement query(db_, "SELECT job_id, image_id, oem_model, status FROM ota_jobs WHERE job_id = ?");
  query.bind(1, job_id);
  if (!query.step()) return std::nullopt;
  ota_job_record job{query.column_int(0), query.column_int(1), query.column_optional_text(2), query.column_text(3)};
  statement counts(db_, "SELECT state, count(*) FROM ota_job_devices WHERE job_id = ? GROUP BY state");
  counts.bind(1, job_id);
  while (counts.step()) {
    const std::string state = counts.column_text(0);
    const std::int64_t n = counts.column_int(1);
    job.total += n;
    if (state == "processing" || state == "downloaded") job.processing += n;
    if (state == "succeeded") job.succeeded = n;
    if (state == "failed") job.failed = n;
  }
  return job;
}

std::vector<ota_job_record> store::list_ota_jobs() {
  std::vector<std::int64_t> ids;
  statement query(db_, "SELECT job_id FROM ota_jobs ORDER BY job_id");
  while (query.step()) ids.push_back(query.column_int(0));
  std::vector<ota_job_record> jobs;
  for (const auto id : ids)
    if (auto job = find_ota_job(id)) jobs.push_back(std::move(*job));
  return jobs;
}

std::vector<ota_target> store::ota_targets(std::int64_t job_id) {
  std::vector<ota_target> targets;
  statement query(db_, "SELECT device_key, state FROM ota_job_devices WHERE job_id = ? ORDER BY device_key");
  query.bind(1, job_id);
  while (query.step()) targets.push_back({query.column_int(0), query.column_text(1)});
  return targets;
}

bool store::set_ota_target(std::int64_t job_id, std::int64_t device_key, std::string_view state,
                           std::optional<std::int64_t> command_id) {
  statement update(db_,
                   "UPDATE ota_job_devices SET state = ?, command_id = coalesce(?, command_id) "
                   "WHERE job_id = ? AND device_key = ?");
  update.bind(1, state);
  if (command_id)
    update.bind(2, *command_id);
  else
    update.bind_null(2);
  update.bind(3, job_id).bind(4, device_key);
  return update.run() && db_.changes() == 1;
}

bool store::set_ota_job_status(std::int64_t job_id, std::string_view status) {
  statement update(db_, "UPDATE ota_jobs SET status = ? WHERE job_id = ?");
  update.bind(1, status).bind(2, job_id);
  return update.run() && db_.changes() == 1;
}

void store::complete_finished_jobs() {
  db_.exec(
      "UPDATE ota_jobs SET status = 'completed' WHERE status = 'running' AND NOT EXISTS "
      "(SELECT 1 FROM ota_job_devices d WHERE d.job_id = ota_jobs.job_id AND "
      "d.state IN ('pending', 'processing', 'downloaded'))");
}

namespace {
// The jobs of one image type (and, when given, one image version).
constexpr std::string_view jobs_of_type =
    "job_id IN (SELECT j.job_id FROM ota_jobs j JOIN images i ON i.image_id = j.image_id WHERE i.type = ?";
}  // namespace

void store::finish_ota_command(std::int64_t device_key, std::int64_t command_id, bool succeeded) {
  statement update(db_,
                   "UPDATE ota_job_devices SET state = CASE WHEN ? THEN (CASE WHEN " + std::string(jobs_of_type) +
                       ") THEN 'downloaded' ELSE 'succeeded' END) ELSE 'failed' END "
                       "WHERE device_key = ? AND command_id = ? AND state = 'processing'");
  update.bind(1, succeeded ? 1 : 0).bind(2, "module").bind(3, device_key).bind(4, command_id).run();
  complete_finished_jobs();
}

void store::fail_ota_targets(std::int64_t device_key, std::string_view image_type) {
  statement update(db_,
                   "UPDATE ota_job_devices SET state = 'failed' WHERE device_key = ? AND "
                   "state IN ('processing', 'downloaded') AND " + std::string(jobs_of_type) + ")");
  update.bind(1, device_key).bind(2, image_type).run();
  statement close_commands(db_,
                           "UPDATE commands SET state = 'done', status = 1 WHERE device_key = ? AND state = 'delivered' "
                           "AND id IN (SELECT command_id FROM ota_job_devices WHERE device_key = ? AND state = 'failed')");
  close_commands.bind(1, device_key).bind(2, device_key).run();
  complete_finished_jobs();
}

void store::confirm_module_version(std::int64_t device_key, std::string_view version) {
  statement update(db_,
                   "UPDATE ota_job_devices SET state = 'succeeded' WHERE device_key = ? AND command_id IS NOT NULL AND "
                   "state IN ('processing', 'downloaded') AND " +
                       std::string(jobs_of_type) + " AND i.version = ?)");
  update.bind(1, device_key).bind(2, "module").bind(3, version).run();
  complete_finished_jobs();
}

}  // namespace ads_sim
