// sqlite_store's console accounts, sessions and failed-login counts.
#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

using namespace sqlite;

namespace {

constexpr std::string_view account_query =
    "SELECT account_id, email, name, role, oem_id, password_hash FROM console_accounts ";

account_record read_account(const statement& row) {
  return {row.column_int(0),
          row.column_text(1),
          row.column_text(2),
          from_text<account_role>(row.column_text(3)).value_or(account_role::oem),
          row.column_text(4),
          row.column_text(5)};
}

}  // namespace

store_result<account_record> sqlite_store::insert_account(const account_record& account,
                                                          std::string_view created_at) {
  const bool ran = execute(db_,
                           "INSERT OR IGNORE INTO console_accounts(email, name, role, oem_id, password_hash, "
                           "created_at) VALUES(?, ?, ?, ?, ?, ?)",
                           account.email, account.name, to_text(account.role), account.oem_id,
                           account.password_hash, created_at);
  if (auto stored = inserted_new(db_, ran); !stored) return stored.error();
  account_record stored = account;
  stored.account_id = db_.last_insert_id();
  return stored;
}

store_result<account_record> sqlite_store::find_account(std::int64_t account_id) {
  return one_row(db_, sql(account_query, "WHERE account_id = ?"), read_account, account_id);
}

store_result<account_record> sqlite_store::find_account_by_email(std::string_view email) {
  return one_row(db_, sql(account_query, "WHERE email = ?"), read_account, email);
}

bool sqlite_store::has_module_maker() {
  statement query(db_, "SELECT 1 FROM console_accounts WHERE role = ?");
  query.bind(1, to_text(account_role::module_maker));
  return query.step();
}

store_done sqlite_store::set_password_hash(std::int64_t account_id, std::string_view password_hash) {
  return changed_one(db_, execute(db_, "UPDATE console_accounts SET password_hash = ? WHERE account_id = ?",
                                  password_hash, account_id));
}

store_done sqlite_store::insert_session(std::string_view id_hash, const session_record& session) {
  return written(db_, execute(db_,
                              "INSERT INTO console_sessions(id_hash, account_id, csrf_token, expires_at, ends_at) "
                              "VALUES(?, ?, ?, ?, ?)",
                              id_hash, session.account_id, session.csrf_token, session.expires_at, session.ends_at));
}

store_result<session_record> sqlite_store::find_session(std::string_view id_hash) {
  statement query(db_,
                  "SELECT account_id, csrf_token, expires_at, ends_at FROM console_sessions WHERE id_hash = ?");
  query.bind(1, id_hash);
  return one_row(query, [](const statement& row) {
    return session_record{row.column_int(0), row.column_text(1), row.column_int(2), row.column_int(3)};
  });
}

store_done sqlite_store::touch_session(std::string_view id_hash, std::int64_t expires_at) {
  return changed_one(db_, execute(db_, "UPDATE console_sessions SET expires_at = ? WHERE id_hash = ?", expires_at,
                                  id_hash));
}

store_done sqlite_store::delete_session(std::string_view id_hash) {
  return written(db_, execute(db_, "DELETE FROM console_sessions WHERE id_hash = ?", id_hash));
}

store_done sqlite_store::delete_sessions_ended_by(std::int64_t now) {
  return written(db_, execute(db_, "DELETE FROM console_sessions WHERE expires_at <= ? OR ends_at <= ?", now, now));
}

login_failures sqlite_store::failures_of(std::string_view email) {
  statement query(db_, "SELECT count, last_at FROM console_login_failures WHERE email = ?");
  query.bind(1, email);
  if (!query.step()) return {};
  return {static_cast<int>(query.column_int(0)), query.column_int(1)};
}

store_done sqlite_store::record_failure(std::string_view email, std::int64_t now) {
  return written(db_, execute(db_,
                              "INSERT INTO console_login_failures(email, count, last_at) VALUES(?, 1, ?) "
                              "ON CONFLICT(email) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
                              email, now));
}

store_done sqlite_store::clear_failures(std::string_view email) {
  return written(db_, execute(db_, "DELETE FROM console_login_failures WHERE email = ?", email));
}

}  // namespace ads_sim
