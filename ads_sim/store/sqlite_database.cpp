#include "ads_sim/store/sqlite_database.hpp"

#include <sqlite3.h>

namespace ads_sim::sqlite {

statement::statement(database& db, std::string_view sql) : db_(db), stmt_(db.take_statement(sql)) {
  if (!stmt_) {
    db_.record_error("prepare");
    failed_ = true;
  }
}

statement::~statement() {
  if (stmt_) db_.keep_statement(stmt_);
}

statement& statement::bind(int index, std::int64_t value) {
  if (stmt_) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, std::string_view text) {
  if (stmt_) sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind_blob(int index, std::string_view bytes) {
  if (stmt_) sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind_null(int index) {
  if (stmt_) sqlite3_bind_null(stmt_, index);
  return *this;
}

statement& statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

bool statement::step() {
  if (!stmt_) return false;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    db_.record_error("step");
    failed_ = true;
  }
  return false;
}

bool statement::run() {
  if (!stmt_) return false;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return true;
  db_.record_error("step");
  failed_ = true;
  return false;
}

std::int64_t statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string statement::column_text(int index) const {
  const auto* text = sqlite3_column_blob(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  return text ? std::string(static_cast<const char*>(text), static_cast<std::size_t>(size)) : std::string{};
}

std::optional<std::string> statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

bool statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

database::database(const std::filesystem::path& file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    record_error("open " + file.string());
    return;
  }
  sqlite3_busy_timeout(db_, 2000);
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
}

database::~database() {
  for (auto& [text, compiled] : kept_) sqlite3_finalize(compiled);
  sqlite3_close(db_);
}

sqlite3_stmt* database::take_statement(std::string_view sql) {
  {
    std::lock_guard lock(kept_mutex_);
    if (auto kept = kept_.find(sql); kept != kept_.end()) {
      sqlite3_stmt* compiled = kept->second;
      kept_.erase(kept);
      return compiled;
    }
  }
  sqlite3_stmt* compiled = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &compiled,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(compiled);
    return nullptr;
  }
  return compiled;
}

void database::keep_statement(sqlite3_stmt* compiled) {
  // Reset before it is kept: a statement left mid-rows would hold its read transaction (and WAL checkpoints) open.
  sqlite3_reset(compiled);
  sqlite3_clear_bindings(compiled);
  const char* text = sqlite3_sql(compiled);  // the text it was compiled from (the first statement of the given)
  std::lock_guard lock(kept_mutex_);
  if (text && kept_.size() < most_kept_statements && kept_.try_emplace(text, compiled).second) return;
  sqlite3_finalize(compiled);
}

std::size_t database::kept_statements() const {
  std::lock_guard lock(kept_mutex_);
  return kept_.size();
}

bool database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    error_ = std::string("exec: ") + (message ? message : "unknown error");
    sqlite3_free(message);
    return false;
  }
  return true;
}

std::int64_t database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int database::changes() const { return sqlite3_changes(db_); }

std::string sql(std::string_view head, std::string_view tail) {
  std::string text(head);
  return text.append(tail);  // appended: g++ 12 warns (array-bounds, falsely) about std::string(head) + tail
}

bool database::constraint_failed() const { return (sqlite3_extended_errcode(db_) & 0xff) == SQLITE_CONSTRAINT; }

void database::record_error(std::string_view what) {
  error_ = std::string(what) + ": " + (db_ ? sqlite3_errmsg(db_) : "cannot open database");
}

bool database::in_transaction() const { return db_ && !sqlite3_get_autocommit(db_); }

// Through statements, not exec: kept compiled like the rest, where exec would parse them for every transaction.
transaction::transaction(database& db) : db_(db), nested_(db.in_transaction()) {
  statement(db_, nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE").run();
}

transaction::~transaction() {
  if (done_) return;
  if (!nested_) {
    statement(db_, "ROLLBACK").run();
    return;
  }
  // ROLLBACK TO leaves the savepoint open; RELEASE closes it (the outer transaction goes on).
  statement(db_, "ROLLBACK TO nested").run();
  statement(db_, "RELEASE nested").run();
}

bool transaction::commit() {
  done_ = true;
  return statement(db_, nested_ ? "RELEASE nested" : "COMMIT").run();
}

}  // namespace ads_sim::sqlite
