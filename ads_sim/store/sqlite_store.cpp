#include "ads_sim/store/sqlite_store.hpp"

#include <array>
#include <cstdio>

#include "ads_sim/store/schema_migrations.hpp"

namespace ads_sim {

using namespace sqlite;

namespace sqlite {

store_done written(database& db, bool ran) {
  if (ran) return common::done{};
  return db.constraint_failed() ? store_error::exists : store_error::database;
}

store_done changed_one(database& db, bool ran) {
  if (ran && db.changes() == 0) return store_error::not_found;
  return written(db, ran);
}

store_done inserted_new(database& db, bool ran) {
  if (ran && db.changes() == 0) return store_error::exists;
  return written(db, ran);
}

}  // namespace sqlite

namespace {

// The device service's tables and the console's; CHECKs keep the texts of store_text.cpp.
constexpr std::string_view schema = R"sql(
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
CREATE TABLE IF NOT EXISTS console_accounts(
  account_id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('module_maker', 'oem')), oem_id TEXT NOT NULL, password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS console_sessions(
  id_hash TEXT PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES console_accounts(account_id),
  csrf_token TEXT NOT NULL, expires_at INTEGER NOT NULL, ends_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS console_login_failures(
  email TEXT PRIMARY KEY COLLATE NOCASE, count INTEGER NOT NULL, last_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS console_images(
  image_id INTEGER PRIMARY KEY, oem_id TEXT NOT NULL, description TEXT NOT NULL, from_version TEXT NOT NULL,
  uploaded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS console_jobs(
  job_id INTEGER PRIMARY KEY, oem_id TEXT NOT NULL, oem_model TEXT NOT NULL, description TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT '');
INSERT OR IGNORE INTO meta(name, value) VALUES('next_dsn', '1');
)sql";

// Version 2: the app side (applications, end users, device owners, user tokens). Only adds tables, so a version 1
// file gains them on open and keeps everything it had. (Files made before the migration list existed recorded
// their version the same way, so they open unchanged.)
constexpr std::string_view schema_v2 = R"sql(
CREATE TABLE IF NOT EXISTS applications(
  app_id TEXT PRIMARY KEY, oem_id TEXT NOT NULL REFERENCES oems(oem_id), name TEXT NOT NULL,
  secret_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS end_users(
  user_id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, oem_id TEXT NOT NULL REFERENCES oems(oem_id),
  app_id TEXT NOT NULL REFERENCES applications(app_id), email TEXT NOT NULL COLLATE NOCASE,
  password_hash TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE(oem_id, email));
CREATE TABLE IF NOT EXISTS device_owners(
  device_key INTEGER PRIMARY KEY REFERENCES devices(key), user_id INTEGER NOT NULL REFERENCES end_users(user_id),
  registered_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS devices_by_owner ON device_owners(user_id, device_key);
CREATE TABLE IF NOT EXISTS user_tokens(
  access_hash TEXT PRIMARY KEY, refresh_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES end_users(user_id), access_expires_at INTEGER NOT NULL,
  refresh_expires_at INTEGER NOT NULL);
)sql";

// Version 4: until when a device's ANS registration is alive (unix ms; NULL: not registered), so every replica
// answers the same "listening". A column with no default: existing devices keep their rows and read as not listening.
constexpr std::string_view schema_v4 = "ALTER TABLE devices ADD COLUMN listening_until INTEGER;";

const std::array<std::string_view, 5> migrations{schema, schema_v2, device_data_schema(), schema_v4,
                                                   registration_schema()};

// The version the file records; 0 for a new file, nullopt when it cannot be read.
std::optional<int> recorded_version(database& db) {
  statement query(db, "SELECT value FROM meta WHERE name = 'schema_version'");
  if (query.failed()) {  // no meta table: a new file
    db.clear_error();
    return 0;
  }
  if (query.step()) return std::stoi(query.column_text(0));
  return query.failed() ? std::nullopt : std::optional<int>(0);
}

// Applies the versions the file lacks, each in a transaction with its recorded number.
std::optional<std::string> migrate_file(database& db) {
  if (!db.ok() || !db.exec("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)"))
    return db.error();
  const auto current = recorded_version(db);
  if (!current) return db.error();
  return migrate(*current, migrations, [&db](int version, std::string_view sql) {
    transaction tx(db);
    return db.exec(sql) &&
           execute(db, "INSERT OR REPLACE INTO meta(name, value) VALUES('schema_version', ?)",
                   std::to_string(version)) &&
           tx.commit();
  });
}

oem_record read_oem(const statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3)};
}

provision_key_record read_provision_key(const statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_text(2)};
}

constexpr std::string_view device_query =
    "SELECT key, dsn, oem_id, model, hwid, public_key, private_key, fw_version, template_version, last_seen, "
    "listening_until FROM devices ";

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
  if (!row.column_is_null(10)) device.listening_until_ms = row.column_int(10);
  return device;
}

}  // namespace

common::result<std::unique_ptr<store>, std::string> open_sqlite_store(const std::filesystem::path& file) {
  auto opened = std::make_unique<sqlite_store>(file);
  if (auto failed = migrate_file(opened->db_)) return common::unexpected(*failed);
  return std::unique_ptr<store>(std::move(opened));
}

sqlite_store::sqlite_store(const std::filesystem::path& file) : db_(file) {
  if (db_.ok()) checkpointer_ = std::make_unique<sqlite::wal_checkpointer>(db_, file);
}

std::optional<std::string> sqlite_store::health_problem() {
  const auto version = recorded_version(db_);
  if (!version) return "database does not answer: " + db_.error();
  return schema_problem(*version, static_cast<int>(migrations.size()));
}

void sqlite_store::begin_group() {
  if (group_open_ || db_.in_transaction()) return;
  group_open_ = statement(db_, "BEGIN IMMEDIATE").run();
}

bool sqlite_store::group_lost() { return group_open_ && !db_.in_transaction(); }

bool sqlite_store::end_group() {
  if (!group_open_) return true;  // never begun: its calls committed one by one
  group_open_ = false;
  if (!db_.in_transaction()) return false;  // rolled back by the engine
  if (statement(db_, "COMMIT").run()) return true;
  statement(db_, "ROLLBACK").run();  // a failed COMMIT (busy, I/O) can leave the transaction open
  return false;
}

void sqlite_store::abandon_group() {
  if (!group_open_) return;
  group_open_ = false;
  if (db_.in_transaction()) statement(db_, "ROLLBACK").run();
}

store_done sqlite_store::insert_oem(const oem_record& oem, std::string_view created_at) {
  statement insert(db_, "INSERT OR IGNORE INTO oems(oem_id, name, email, secret, created_at) VALUES(?, ?, ?, ?, ?)");
  insert.bind(1, oem.oem_id).bind(2, oem.name).bind(3, oem.email).bind(4, oem.secret).bind(5, created_at);
  return inserted_new(db_, insert.run());
}

store_result<oem_record> sqlite_store::find_oem(std::string_view oem_id) {
  statement query(db_, "SELECT oem_id, name, email, secret FROM oems WHERE oem_id = ?");
  query.bind(1, oem_id);
  return one_row(query, read_oem);
}

std::vector<oem_record> sqlite_store::list_oems() {
  statement query(db_, "SELECT oem_id, name, email, secret FROM oems ORDER BY rowid");
  return all_rows(query, read_oem);
}

store_done sqlite_store::insert_provision_key(const provision_key_record& key, std::string_view created_at) {
  statement insert(db_,
                   "INSERT OR IGNORE INTO provision_keys(key_id, oem_id, public_key, created_at) VALUES(?, ?, ?, ?)");
  insert.bind(1, key.key_id).bind(2, key.oem_id).bind(3, key.public_key_pem).bind(4, created_at);
  return inserted_new(db_, insert.run());
}

store_result<provision_key_record> sqlite_store::find_provision_key(std::string_view key_id) {
  statement query(db_, "SELECT key_id, oem_id, public_key FROM provision_keys WHERE key_id = ?");
  query.bind(1, key_id);
  return one_row(query, read_provision_key);
}

std::vector<provision_key_record> sqlite_store::list_provision_keys(std::string_view oem_id) {
  statement query(db_, "SELECT key_id, oem_id, public_key FROM provision_keys WHERE oem_id = ? ORDER BY rowid");
  query.bind(1, oem_id);
  return all_rows(query, read_provision_key);
}

store_done sqlite_store::record_provisioned(std::int64_t device_key, std::string_view key_id) {
  return written(db_, execute(db_, "INSERT OR IGNORE INTO provisioned_devices(device_key, key_id) VALUES(?, ?)",
                              device_key, key_id));
}

std::int64_t sqlite_store::count_provisioned(std::string_view key_id) {
  statement query(db_, "SELECT COUNT(*) FROM provisioned_devices WHERE key_id = ?");
  query.bind(1, key_id);
  return query.step() ? query.column_int(0) : 0;
}

store_result<std::string> sqlite_store::next_dsn() {
  statement query(db_, "SELECT value FROM meta WHERE name = 'next_dsn'");
  const std::int64_t number = query.step() ? std::stoll(query.column_text(0)) : 1;
  if (!execute(db_, "UPDATE meta SET value = ? WHERE name = 'next_dsn'", std::to_string(number + 1)))
    return store_error::database;
  char dsn[32];
  std::snprintf(dsn, sizeof dsn, "AC000W%09lld", static_cast<long long>(number));
  return std::string(dsn);
}

store_result<device_record> sqlite_store::insert_device(device_record device, std::string_view created_at) {
  transaction tx(db_);
  auto dsn = next_dsn();
  if (!dsn) return dsn.error();
  device.dsn = std::move(*dsn);
  statement insert(db_,
                   "INSERT INTO devices(dsn, oem_id, model, hwid, public_key, private_key, fw_version, "
                   "template_version, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, device.dsn).bind(2, device.oem_id).bind(3, device.model).bind_optional(4, device.hwid);
  insert.bind(5, device.public_key).bind(6, device.private_key_pem).bind(7, device.fw_version);
  insert.bind(8, device.template_version).bind(9, created_at);
  if (auto stored = written(db_, insert.run()); !stored) return stored.error();
  device.key = db_.last_insert_id();
  if (!tx.commit()) return store_error::database;
  return device;
}

store_result<device_record> sqlite_store::find_device(std::int64_t key) {
  return one_row(db_, sql(device_query, "WHERE key = ?"), read_device, key);
}

store_result<device_record> sqlite_store::find_device_by_dsn(std::string_view dsn) {
  return one_row(db_, sql(device_query, "WHERE dsn = ?"), read_device, dsn);
}

store_result<device_record> sqlite_store::find_device_by_hwid(std::string_view oem_id, std::string_view hwid) {
  return one_row(db_, sql(device_query, "WHERE oem_id = ? AND hwid = ?"), read_device, oem_id, hwid);
}

std::vector<device_record> sqlite_store::list_devices() {
  statement query(db_, sql(device_query, "ORDER BY key"));
  return all_rows(query, read_device);
}

store_done sqlite_store::update_device(const device_record& device) {
  statement update(db_,
                   "UPDATE devices SET model = ?, hwid = ?, fw_version = ?, template_version = ? WHERE key = ?");
  update.bind(1, device.model).bind_optional(2, device.hwid).bind(3, device.fw_version);
  update.bind(4, device.template_version).bind(5, device.key);
  return changed_one(db_, update.run());
}

store_done sqlite_store::set_last_seen(std::int64_t key, std::int64_t unix_secs) {
  return changed_one(db_, execute(db_, "UPDATE devices SET last_seen = ? WHERE key = ?", unix_secs, key));
}

store_done sqlite_store::mark_device_listening(std::int64_t key, std::int64_t until_ms) {
  return changed_one(db_, execute(db_, "UPDATE devices SET listening_until = ? WHERE key = ?", until_ms, key));
}

store_done sqlite_store::mark_device_not_listening(std::int64_t key) {
  return changed_one(db_, execute(db_, "UPDATE devices SET listening_until = NULL WHERE key = ?", key));
}

store_done sqlite_store::insert_token(std::string_view token_hash, std::int64_t device_key, std::int64_t expires_at) {
  if (!execute(db_, "DELETE FROM auth_tokens WHERE expires_at < ?", expires_at - 2 * 3600)) return store_error::database;
  return written(db_, execute(db_, "INSERT OR REPLACE INTO auth_tokens(token_hash, device_key, expires_at) "
                                   "VALUES(?, ?, ?)",
                              token_hash, device_key, expires_at));
}

store_result<std::int64_t> sqlite_store::find_token(std::string_view token_hash, std::int64_t now) {
  statement query(db_, "SELECT device_key FROM auth_tokens WHERE token_hash = ? AND expires_at > ?");
  query.bind(1, token_hash).bind(2, now);
  return one_row(query, [](const statement& row) { return row.column_int(0); });
}

}  // namespace ads_sim
