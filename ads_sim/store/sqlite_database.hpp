#pragma once
// sqlite_database: a thin RAII layer over one SQLite connection (prepared statements, typed binds and columns,
// transactions) for sqlite_store, the only code that speaks SQL. Failures are reported as values; the store decides
// what they mean.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace ads_sim::sqlite {

class database;

// One prepared statement; bind with 1-based indexes, step() until it returns false. The connection keeps it
// compiled for the next statement of the same text (parsing and planning cost more than running most of ours).
class statement {
 public:
  statement(database& db, std::string_view sql);
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::string_view text);
  statement& bind_blob(int index, std::string_view bytes);
  statement& bind_null(int index);
  statement& bind_optional(int index, const std::optional<std::string>& text);

  // True when a row is available; false when done. A failure is recorded in the database (ok() false).
  bool step();
  // Runs a statement that returns no rows; false on failure.
  bool run();
  // Whether preparing or the last step failed (step() false then means an error, not the end of the rows).
  bool failed() const { return failed_; }

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  bool column_is_null(int index) const;

 private:
  database& db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool failed_ = false;
};

class database {
 public:
  // Opens (creating if needed) the file in WAL mode; nullopt-like failure is reported by ok()/error().
  explicit database(const std::filesystem::path& file);
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void clear_error() { error_.clear(); }

  // Runs one or more SQL statements with no parameters.
  bool exec(std::string_view sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  // Whether the last failure broke a constraint (a UNIQUE or PRIMARY KEY: the row exists).
  bool constraint_failed() const;

  sqlite3* native() const { return db_; }
  void record_error(std::string_view what);
  // Whether a transaction is open (a group's, see sqlite_store::begin_group): a transaction object then nests.
  bool in_transaction() const;

  // Compiled statements kept for reuse: at most this many texts (queries built with a varying number of
  // parameters are the only texts that are not a fixed set).
  static constexpr std::size_t most_kept_statements = 256;
  std::size_t kept_statements() const;

 private:
  friend class statement;
  // A kept statement of this text (reset, nothing bound), or one compiled now; nullptr when it does not compile.
  sqlite3_stmt* take_statement(std::string_view sql);
  // Back from a statement object: kept for its text unless one is kept already or the cache is full.
  void keep_statement(sqlite3_stmt* compiled);

  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  sqlite3* db_ = nullptr;
  std::string error_;
  mutable std::mutex kept_mutex_;  // the connection is serialised by SQLite; the cache by this
  std::unordered_map<std::string, sqlite3_stmt*, text_hash, std::equal_to<>> kept_;
};

// Rolls back unless commit() was called. Inside an open transaction it is a savepoint: commit() keeps its changes
// for the outer transaction to commit, and a rollback undoes only its own.
class transaction {
 public:
  explicit transaction(database& db);
  ~transaction();
  bool commit();

 private:
  database& db_;
  const bool nested_;
  bool done_ = false;
};

// A query's text from a shared head ("SELECT ... FROM t ") and its tail ("WHERE ...").
std::string sql(std::string_view head, std::string_view tail);

// Runs one statement that returns no rows, its parameters bound in order.
template <typename... Values>
bool execute(database& db, std::string_view sql, const Values&... values) {
  statement command(db, sql);
  int index = 0;
  (command.bind(++index, values), ...);
  return command.run();
}

}  // namespace ads_sim::sqlite
