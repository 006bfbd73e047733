#include "ads_sim/console/console_store.hpp"

namespace ads_sim::console {
namespace {

constexpr std::string_view schema = R"sql(
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
)sql";

constexpr std::string_view account_columns = "account_id, email, name, role, oem_id, password_hash";

account_record read_account(const statement& row) {
  return {row.column_int(0),
          row.column_text(1),
          row.column_text(2),
          row.column_text(3) == "module_maker" ? account_role::module_maker : account_role::oem,
          row.column_text(4),
          row.column_text(5)};
}

// Runs one statement that returns no rows, its parameters bound in order.
template <typename... Values>
bool execute(database& db, std::string_view sql, const Values&... values) {
  statement command(db, sql);
  int index = 0;
  (command.bind(++index, values), ...);
  return command.run();
}

std::optional<account_record> one_account(statement& query) {
  if (!query.step()) return std::nullopt;
  return read_account(query);
}

}  // namespace

std::string_view role_name(account_role role) { return role == account_role::module_maker ? "module_maker" : "oem"; }

console_store::console_store(const std::filesystem::path& file) : db_(file) {
  if (db_.ok()) db_.exec(schema);
}

bool console_store::insert_account(const account_record& account, std::string_view created_at) {
  statement insert(db_,
                   "INSERT OR IGNORE INTO console_accounts(email, name, role, oem_id, password_hash, created_at) "
                   "VALUES(?, ?, ?, ?, ?, ?)");
  insert.bind(1, account.email).bind(2, account.name).bind(3, role_name(account.role)).bind(4, account.oem_id);
  insert.bind(5, account.password_hash).bind(6, created_at);
  return insert.run() && db_.changes() == 1;
}

std::optional<account_record> console_store::find_account(std::int64_t account_id) {
  statement query(db_, "SELECT " + std::string(account_columns) + " FROM console_accounts WHERE account_id = ?");
  query.bind(1, account_id);
  return one_account(query);
}

std::optional<account_record> console_store::find_account_by_email(std::string_view email) {
  statement query(db_, "SELECT " + std::string(account_columns) + " FROM console_accounts WHERE email = ?");
  query.bind(1, email);
  return one_account(query);
}

bool console_store::has_module_maker() {
  statement query(db_, "SELECT 1 FROM console_accounts WHERE role = 'module_maker'");
  return query.step();
}

bool console_store::set_password_hash(std::int64_t account_id, std::string_view password_hash) {
  return execute(db_, "UPDATE console_accounts SET password_hash = ? WHERE account_id = ?", password_hash, account_id);
}

std::vector<account_record> console_store::list_oem_accounts() {
  statement query(db_, "SELECT " + std::string(account_columns) +
                           " FROM console_accounts WHERE role = 'oem' ORDER BY account_id");
  std::vector<account_record> accounts;
  while (query.step()) accounts.push_back(read_account(query));
  return accounts;
}

bool console_store::insert_session(std::string_view id_hash, const session_record& session) {
  statement insert(db_,
                   "INSERT INTO console_sessions(id_hash, account_id, csrf_token, expires_at, ends_at) "
                   "VALUES(?, ?, ?, ?, ?)");
  insert.bind(1, id_hash).bind(2, session.account_id).bind(3, session.csrf_token);
  insert.bind(4, session.expires_at).bind(5, session.ends_at);
  return insert.run();
}

std::optional<session_record> console_store::find_session(std::string_view id_hash) {
  statement query(db_,
                  "SELECT account_id, csrf_token, expires_at, ends_at FROM console_sessions WHERE id_hash = ?");
  query.bind(1, id_hash);
  if (!query.step()) return std::nullopt;
  return session_record{query.column_int(0), query.column_text(1), query.column_int(2), query.column_int(3)};
}

void console_store::touch_session(std::string_view id_hash, std::int64_t expires_at) {
  execute(db_, "UPDATE console_sessions SET expires_at = ? WHERE id_hash = ?", expires_at, id_hash);
}

void console_store::delete_session(std::string_view id_hash) {
  execute(db_, "DELETE FROM console_sessions WHERE id_hash = ?", id_hash);
}

void console_store::delete_sessions_ended_by(std::int64_t now) {
  execute(db_, "DELETE FROM console_sessions WHERE expires_at <= ? OR ends_at <= ?", now, now);
}

login_failures console_store::failures_of(std::string_view email) {
  statement query(db_, "SELECT count, last_at FROM console_login_failures WHERE email = ?");
  query.bind(1, email);
  if (!query.step()) return {};
  return {static_cast<int>(query.column_int(0)), query.column_int(1)};
}

void console_store::record_failure(std::string_view email, std::int64_t now) {
  execute(db_,
          "INSERT INTO console_login_failures(email, count, last_at) VALUES(?, 1, ?) "
          "ON CONFLICT(email) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
          email, now);
}

void console_store::clear_failures(std::string_view email) {
  execute(db_, "DELETE FROM console_login_failures WHERE email = ?", email);
}

bool console_store::insert_image_meta(const image_meta& meta) {
  return execute(db_,
                 "INSERT INTO console_images(image_id, oem_id, description, from_version, uploaded_at) "
                 "VALUES(?, ?, ?, ?, ?)",
                 meta.image_id, std::string_view(meta.oem_id), std::string_view(meta.description),
                 std::string_view(meta.from_version), std::string_view(meta.uploaded_at));
}

std::vector<image_meta> console_store::list_image_meta() {
  statement query(db_,
                  "SELECT image_id, oem_id, description, from_version, uploaded_at FROM console_images "
                  "ORDER BY image_id");
  std::vector<image_meta> out;
  while (query.step())
    out.push_back({query.column_int(0), query.column_text(1), query.column_text(2), query.column_text(3),
                   query.column_text(4)});
  return out;
}

bool console_store::insert_job_meta(const job_meta& meta) {
  return execute(db_, "INSERT INTO console_jobs(job_id, oem_id, oem_model, description) VALUES(?, ?, ?, ?)",
                 meta.job_id, std::string_view(meta.oem_id), std::string_view(meta.oem_model),
                 std::string_view(meta.description));
}

namespace {

job_meta read_job(const statement& row) {
  return {row.column_int(0), row.column_text(1), row.column_text(2), row.column_text(3), row.column_text(4)};
}

constexpr std::string_view job_query = "SELECT job_id, oem_id, oem_model, description, started_at FROM console_jobs";

}  // namespace

std::optional<job_meta> console_store::find_job_meta(std::int64_t job_id) {
  statement query(db_, std::string(job_query) + " WHERE job_id = ?");
  query.bind(1, job_id);
  if (!query.step()) return std::nullopt;
  return read_job(query);
}

void console_store::set_job_started(std::int64_t job_id, std::string_view started_at) {
  execute(db_, "UPDATE console_jobs SET started_at = ? WHERE job_id = ?", started_at, job_id);
}

}  // namespace ads_sim::console
