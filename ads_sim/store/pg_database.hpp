#pragma once
// pg_database: a thin RAII layer over one libpq connection for pg_store, the PostgreSQL engine — results that free
// themselves, queries whose parameters are always bound (PQexecParams, never spliced into the SQL text), and
// transactions. Failures are values; each is logged once on stderr by its primary message only (never the URL, so
// never a password, and never a failing row's DETAIL, which would echo stored values).
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ads_sim::pg {

// Bytes sent as a binary bytea parameter (everything else goes as text).
struct bytes {
  std::string_view data;
};

// One query's parameters as libpq takes them: texts (or null), and which are binary.
class parameters {
 public:
  void add(std::int64_t value) { add_text(std::to_string(value)); }
  void add(int value) { add_text(std::to_string(value)); }
  void add(bool value) { add_text(value ? "true" : "false"); }
  void add(std::string_view text) { add_text(std::string(text)); }
  void add(const std::string& text) { add_text(text); }
  void add(const char* text) { add_text(text); }
  void add(const std::optional<std::string>& text);
  void add(std::optional<std::int64_t> value);
  void add(bytes value);

  int count() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void add_text(std::string text);
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// How long a connection waits for a server that does not answer, unless its URL sets connect_timeout itself: libpq's
// default is to wait forever, which would hang a start or hold a worker.
inline constexpr int default_connect_timeout_secs = 5;

// A NOTIFY a LISTENing connection received.
struct notification {
  std::string channel;
  std::string payload;
};

// One query's answer; rows are read by 0-based row and column.
class result {
 public:
  result() = default;
  explicit result(PGresult* answer) : answer_(answer) {}

  // The statement ran (with or without rows).
  bool ok() const;
  // It broke a constraint (SQLSTATE class 23: UNIQUE, PRIMARY KEY, FOREIGN KEY, CHECK) — what SQLite's engine
  // calls a constraint failure and the store reports as `exists`.
  bool constraint_violation() const;
  int rows() const { return answer_ ? PQntuples(answer_.get()) : 0; }
  std::int64_t affected() const;  // rows an INSERT / UPDATE / DELETE changed

  std::int64_t integer(int row, int column) const;
  std::string text(int row, int column) const;  // also the raw bytes of a binary-format column
  std::optional<std::string> optional_text(int row, int column) const;
  bool is_null(int row, int column) const { return PQgetisnull(answer_.get(), row, column) != 0; }

 private:
  struct clear {
    void operator()(PGresult* answer) const { PQclear(answer); }
  };
  std::unique_ptr<PGresult, clear> answer_;
};

class connection {
 public:
  // Connects to a libpq URI ("postgresql://user@host:port/db?..."), giving up after default_connect_timeout_secs
  // unless the URI sets its own connect_timeout (a reset after a loss waits as long); ok() false and error() say why
  // not.
  explicit connection(const std::string& url);
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Up now; a lost connection is found by the next statement or consume_input(), and reset by the next statement.
  bool connected() const;
  // The value of a libpq setting in effect ("connect_timeout", "dbname"); nullopt when unset. A password is one of
  // them: never log what this returns.
  std::optional<std::string> setting(std::string_view keyword) const;
  // The primary message of the last failed statement or reconnection (for /healthz).
  const std::string& last_failure() const { return last_failure_; }
  // Where it is connected, for messages: "HOST:PORT/DB" (no user, no password).
  std::string where() const;

  // Runs one or more statements with no parameters (schema migrations).
  result exec(std::string_view sql);
  // One statement, its parameters bound in order; `binary_result` asks binary columns (a bytea's raw bytes).
  result run(std::string_view sql, const parameters& values, bool binary_result = false);

  template <typename... Values>
  result query(std::string_view sql, const Values&... values) {
    parameters bound;
    (bound.add(values), ...);
    return run(sql, bound);
  }

  // For an event loop waiting on a LISTENing connection: libpq's socket (libpq closes it; -1 when not connected),
  // reading what arrived without waiting (false: the connection is lost, last_failure() says why), and the
  // notifications read so far, oldest first.
  int socket() const;
  bool consume_input();
  std::vector<notification> take_notifications();
  // Drops the server's notices instead of printing them on stderr: for a connection that reports its own loss (an
  // administrator ending the session sends a FATAL notice first).
  void quiet_notices();

 private:
  // A lost connection (the server restarted) is reset once before a statement; false when it stays lost.
  bool usable();
  result checked(PGresult* answer, std::string_view sql);

  struct finish {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  std::unique_ptr<PGconn, finish> conn_;
  std::string error_;
  std::string last_failure_;
};

// Rolls back unless commit() was called.
class transaction {
 public:
  explicit transaction(connection& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  bool ok() const { return began_; }
  bool commit();

 private:
  connection& db_;
  bool began_ = false;
  bool done_ = false;
};

// The first line of libpq's message (its later lines may name the host and hint at settings).
std::string first_line(const char* message);

}  // namespace ads_sim::pg
