#pragma once
// postgres_database (header only, libpq): a database of its own on a test PostgreSQL server (scripts/postgres-fixture.sh) — created
// with a random name, dropped (connections and all) when the object goes. The server's URL is read from the file
// SIM7600_POSTGRES_URL_FILE names (ctest's `postgres` fixture sets it), or given. Throws when the server is absent.
#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

namespace e2e {

class postgres_database {
 public:
  // On the server at `server_url` ("postgresql://postgres@127.0.0.1:PORT", no database name).
  explicit postgres_database(std::string server_url = fixture_url())
      : server_url_(std::move(server_url)), name_(random_name()) {
    run_on_server("CREATE DATABASE " + name_);
  }
  ~postgres_database() {
    try {
      run_on_server("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {  // the server may be gone already (a test stopped it)
    }
  }
  postgres_database(const postgres_database&) = delete;
  postgres_database& operator=(const postgres_database&) = delete;

  std::string url() const { return server_url_ + "/" + name_; }
  const std::string& name() const { return name_; }
  // Runs `sql` on this database (what a test does behind the store's back), throwing on failure.
  void exec(const std::string& sql) const { run(url(), sql); }
  // Drops the database while the store may still hold a connection to it.
  void drop() const { run_on_server("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"); }

  // The URL ctest's `postgres` fixture wrote.
  static std::string fixture_url() {
    const char* file = std::getenv("SIM7600_POSTGRES_URL_FILE");
    if (!file) throw std::runtime_error("SIM7600_POSTGRES_URL_FILE is not set: run through ctest (fixture postgres)");
    std::ifstream in(file);
    std::string url;
    if (!std::getline(in, url) || url.empty()) throw std::runtime_error(std::string("no server URL in ") + file);
    return url;
  }

 private:
  static std::string random_name() {
    std::random_device random;
    std::string name = "test_";
    for (int i = 0; i < 16; ++i) name += "0123456789abcdef"[random() % 16];
    return name;
  }
  void run_on_server(const std::string& sql) const { run(server_url_ + "/postgres", sql); }
  static void run(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    std::string failure;
    if (PQstatus(conn) != CONNECTION_OK) {
      failure = PQerrorMessage(conn);
    } else {
      PGresult* answer = PQexec(conn, sql.c_str());
      if (PQresultStatus(answer) != PGRES_COMMAND_OK && PQresultStatus(answer) != PGRES_TUPLES_OK)
        failure = PQresultErrorMessage(answer);
      PQclear(answer);
    }
    PQfinish(conn);
    if (!failure.empty()) throw std::runtime_error(sql + ": " + failure);
  }

  std::string server_url_;
  std::string name_;
};

}  // namespace e2e
