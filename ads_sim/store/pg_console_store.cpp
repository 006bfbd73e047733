// pg_store's console accounts, sessions and failed-login counts. Emails compare without case: accounts through a
// unique index on lower(email), failure counts kept by the lower-case email.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

std::string account_query(std::string_view tail) {
  std::string text("SELECT account_id, email, name, role, oem_id, password_hash FROM console_accounts ");
  return text.append(tail);
}

account_record read_account(const result& rows, int row) {
  return {rows.integer(row, 0),
          rows.text(row, 1),
          rows.text(row, 2),
          from_text<account_role>(rows.text(row, 3)).value_or(account_role::oem),
          rows.text(row, 4),
          rows.text(row, 5)};
}

}  // namespace

store_result<account_record> console_account_table::insert_account(const account_record& account,
                                                                   std::string_view created_at) {
  const auto inserted = db_.query("INSERT INTO console_accounts(email, name, role, oem_id, password_hash, created_at) "
                                  "VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING account_id",
                                  account.email, account.name, to_text(account.role), account.oem_id,
                                  account.password_hash, created_at);
  if (auto stored = inserted_new(inserted); !stored) return stored.error();
  account_record stored = account;
  stored.account_id = inserted.integer(0, 0);
  return stored;
}

store_result<account_record> console_account_table::find_account(std::int64_t account_id) {
  return one_row(db_.query(account_query("WHERE account_id = $1"), account_id), read_account);
}

store_result<account_record> console_account_table::find_account_by_email(std::string_view email) {
  return one_row(db_.query(account_query("WHERE lower(email) = lower($1)"), email), read_account);
}

bool console_account_table::has_module_maker() {
  const auto found =
      db_.query("SELECT 1 FROM console_accounts WHERE role = $1 LIMIT 1", to_text(account_role::module_maker));
  return found.ok() && found.rows() == 1;
}

store_done console_account_table::set_password_hash(std::int64_t account_id, std::string_view password_hash) {
  return changed_one(db_.query("UPDATE console_accounts SET password_hash = $1 WHERE account_id = $2", password_hash,
                               account_id));
}

store_done console_account_table::insert_session(std::string_view id_hash, const session_record& session) {
  return written(db_.query("INSERT INTO console_sessions(id_hash, account_id, csrf_token, expires_at, ends_at) "
                           "VALUES($1, $2, $3, $4, $5)",
                           id_hash, session.account_id, session.csrf_token, session.expires_at, session.ends_at));
}

store_result<session_record> console_account_table::find_session(std::string_view id_hash) {
  return one_row(db_.query("SELECT account_id, csrf_token, expires_at, ends_at FROM console_sessions "
                           "WHERE id_hash = $1",
                           id_hash),
                 [](const result& rows, int row) {
                   return session_record{rows.integer(row, 0), rows.text(row, 1), rows.integer(row, 2),
                                         rows.integer(row, 3)};
                 });
}

store_done console_account_table::touch_session(std::string_view id_hash, std::int64_t expires_at) {
  return changed_one(
      db_.query("UPDATE console_sessions SET expires_at = $1 WHERE id_hash = $2", expires_at, id_hash));
}

store_done console_account_table::delete_session(std::string_view id_hash) {
  return written(db_.query("DELETE FROM console_sessions WHERE id_hash = $1", id_hash));
}

store_done console_account_table::delete_sessions_ended_by(std::int64_t now) {
  return written(db_.query("DELETE FROM console_sessions WHERE expires_at <= $1 OR ends_at <= $1", now));
}

login_failures console_account_table::failures_of(std::string_view email) {
  const auto found =
      db_.query("SELECT count, last_at FROM console_login_failures WHERE email = lower($1)", email);
  if (!found.ok() || found.rows() == 0) return {};
  return {static_cast<int>(found.integer(0, 0)), found.integer(0, 1)};
}

store_done console_account_table::record_failure(std::string_view email, std::int64_t now) {
  // One statement: two processes counting failures at once both count.
  return written(db_.query("INSERT INTO console_login_failures(email, count, last_at) VALUES(lower($1), 1, $2) "
                           "ON CONFLICT(email) DO UPDATE SET count = console_login_failures.count + 1, "
                           "last_at = excluded.last_at",
                           email, now));
}

store_done console_account_table::clear_failures(std::string_view email) {
  return written(db_.query("DELETE FROM console_login_failures WHERE email = lower($1)", email));
}

}  // namespace ads_sim::pg
