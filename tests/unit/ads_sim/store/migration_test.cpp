// Schema migrations on both engines: a new database reaches the current version, a current one opens unchanged,
// an older one (SQLite version 1, both engines' version 3) gains what it lacks and keeps its rows, and a database
// newer than the binary is refused.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "ads_sim/store/schema_migrations.hpp"
#include "store_engines.hpp"

using namespace ads_sim;

namespace {

const std::string newer_refusal = "database schema version 99 is newer than this ads-sim knows (5): run a newer ads-sim";

void sqlite_exec(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("migrations: a PostgreSQL database is made, then opens as it is", "[store][migrations]") {
  e2e::postgres_database database;
  {
    auto fresh = open_pg_store(database.url());
    REQUIRE(fresh);
    CHECK_FALSE((*fresh)->health_problem());
    REQUIRE((*fresh)->oems().insert_oem({"oem1", "OEM One", "a@b.c", "secret"}, "t0"));
  }
  pg::connection db(database.url());
  CHECK(pg::schema_version(db) == std::optional<int>(5));
  auto again = open_pg_store(database.url());
  REQUIRE(again);
  CHECK((*again)->oems().find_oem("oem1")->name == "OEM One");
  CHECK(pg::schema_version(db) == std::optional<int>(5));
}

TEST_CASE("migrations: a version 3 PostgreSQL database gains versions 4 and 5 and keeps its rows",
          "[store][migrations]") {
  e2e::postgres_database database;
  {
    // What an ads-sim from before version 4 left: versions 1 to 3 applied, an OEM and a device.
    pg::connection db(database.url());
    REQUIRE(db.ok());
    REQUIRE(db.exec("CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)").ok());
    for (std::size_t version = 1; version <= 3; ++version) REQUIRE(db.exec(pg::migrations()[version - 1]).ok());
    REQUIRE(db.exec("INSERT INTO meta(name, value) VALUES('schema_version', '3'); "
                    "INSERT INTO oems(oem_id, name, email, secret, created_at) VALUES('oem1', 'OEM One', 'a@b.c', "
                    "'s', 't0'); "
                    "INSERT INTO devices(dsn, oem_id, model, public_key, private_key, last_seen, created_at) "
                    "VALUES('AC000W000000001', 'oem1', 'm1', 'pub', 'priv', 1234, 't0')")
                .ok());
  }
  auto opened = open_pg_store(database.url());
  REQUIRE(opened);
  CHECK_FALSE((*opened)->health_problem());
  pg::connection db(database.url());
  CHECK(pg::schema_version(db) == std::optional<int>(5));
  auto& devices = (*opened)->devices();
  const auto kept = devices.find_device_by_dsn("AC000W000000001");
  REQUIRE(kept);
  CHECK(kept->model == "m1");
  CHECK(kept->last_seen == 1234);
  CHECK_FALSE(kept->listening_until_ms);
  REQUIRE(devices.mark_device_listening(kept->key, 5000));
  CHECK(devices.find_device(kept->key)->listening_until_ms == std::optional<std::int64_t>(5000));
}

TEST_CASE("migrations: a PostgreSQL database newer than the binary is refused", "[store][migrations]") {
  e2e::postgres_database database;
  auto opened = open_pg_store(database.url());
  REQUIRE(opened);
  database.exec("UPDATE meta SET value = '99' WHERE name = 'schema_version'");
  CHECK((*opened)->health_problem() == std::optional<std::string>(newer_refusal));  // a running replica sees it
  const auto again = open_pg_store(database.url());
  REQUIRE_FALSE(again);
  CHECK(again.error() == newer_refusal);
}

TEST_CASE("migrations: a dropped PostgreSQL database is unhealthy", "[store][migrations]") {
  e2e::postgres_database database;
  auto opened = open_pg_store(database.url());
  REQUIRE(opened);
  database.drop();
  const auto problem = (*opened)->health_problem();
  REQUIRE(problem);
  CHECK(problem->find("does not answer") != std::string::npos);
  CHECK(problem->find(database.name()) != std::string::npos);
}

TEST_CASE("migrations: an unreachable PostgreSQL server is one line without the password", "[store][migrations]") {
  const auto opened = open_pg_store("postgresql://someone:hunter2@127.0.0.1:1/nothing?connect_timeout=2");
  REQUIRE_FALSE(opened);
  CHECK(opened.error().find('\n') == std::string::npos);
  CHECK(opened.error().find("hunter2") == std::string::npos);
  CHECK(opened.error().find("127.0.0.1") != std::string::npos);
}

TEST_CASE("migrations: a version 1 SQLite file gains the later versions and keeps its rows", "[store][migrations]") {
  ads_sim_test::temp_dir dir;
  const auto file = dir.path() / "ads.db";
  REQUIRE(open_sqlite_store(file));
  // What an ads-sim from before the app side left: version 1, no app tables, no listening deadline, an OEM.
  sqlite_exec(file,
              "DROP TABLE user_tokens; DROP TABLE device_owners; DROP TABLE end_users; DROP TABLE applications; "
              "ALTER TABLE devices DROP COLUMN listening_until; "
              "UPDATE meta SET value = '1' WHERE name = 'schema_version'; "
              "INSERT INTO oems(oem_id, name, email, secret, created_at) VALUES('oem1', 'OEM One', 'a@b.c', 's', 't0')");
  auto opened = open_sqlite_store(file);
  REQUIRE(opened);
  CHECK_FALSE((*opened)->health_problem());
  CHECK((*opened)->oems().find_oem("oem1")->name == "OEM One");
  CHECK((*opened)->end_users().insert_application({"app1", "oem1", "App", "hash"}, "t1"));
}

TEST_CASE("migrations: a version 3 SQLite file gains versions 4 and 5 and keeps its rows", "[store][migrations]") {
  ads_sim_test::temp_dir dir;
  const auto file = dir.path() / "ads.db";
  std::int64_t key = 0;
  {
    auto made = open_sqlite_store(file);
    REQUIRE(made);
    REQUIRE((*made)->oems().insert_oem({"oem1", "OEM One", "a@b.c", "secret"}, "t0"));
    device_record device;
    device.oem_id = "oem1";
    device.model = "m1";
    device.public_key = "pub";
    device.private_key_pem = "priv";
    const auto stored = (*made)->devices().insert_device(device, "t0");
    REQUIRE(stored);
    key = stored->key;
  }
  // What an ads-sim from before version 4 left: the devices table without the listening deadline (and nothing of
  // version 5's registration tokens).
  sqlite_exec(file,
              "ALTER TABLE devices DROP COLUMN listening_until; DROP TABLE registration_tokens; "
              "ALTER TABLE device_owners DROP COLUMN registration_type; "
              "UPDATE meta SET value = '3' WHERE name = 'schema_version'");
  auto opened = open_sqlite_store(file);
  REQUIRE(opened);
  CHECK_FALSE((*opened)->health_problem());
  auto& devices = (*opened)->devices();
  const auto kept = devices.find_device(key);
  REQUIRE(kept);
  CHECK(kept->dsn == "AC000W000000001");
  CHECK(kept->model == "m1");
  CHECK_FALSE(kept->listening_until_ms);
  REQUIRE(devices.mark_device_listening(key, 5000));
  CHECK(devices.find_device(key)->listening_until_ms == std::optional<std::int64_t>(5000));
}

// What a version 4 database (before registration tokens) holds: an OEM, a device, a user who owns it.
constexpr const char* before_registration_tokens =
    "DROP TABLE registration_tokens; ALTER TABLE device_owners DROP COLUMN registration_type; "
    "UPDATE meta SET value = '4' WHERE name = 'schema_version'; "
    "INSERT INTO oems(oem_id, name, email, secret, created_at) VALUES('oem1', 'OEM One', 'a@b.c', 's', 't0'); "
    "INSERT INTO devices(key, dsn, oem_id, model, public_key, private_key, created_at) "
    "VALUES(7, 'AC000W000000007', 'oem1', 'm1', 'pub', 'priv', 't0'); "
    "INSERT INTO applications(app_id, oem_id, name, secret_hash, created_at) VALUES('app1', 'oem1', 'A', 'h', 't0'); "
    "INSERT INTO end_users(user_id, uuid, oem_id, app_id, email, password_hash, created_at) "
    "VALUES(3, 'u-1', 'oem1', 'app1', 'ann@x.y', 'h', 't0'); "
    "INSERT INTO device_owners(device_key, user_id, registered_at) VALUES(7, 3, 't1')";

// The opened store of a version 4 database: its owner registered by DSN, and its devices can take tokens.
void check_gained_registration_tokens(store& opened) {
  CHECK_FALSE(opened.health_problem());
  CHECK(*opened.end_users().device_owner(7) == 3);
  CHECK(*opened.registrations().registration_type_of(7) == registration_type::dsn);
  CHECK(opened.registrations().put_registration_token(7, {"ab12cd", 100}, 10));
}

TEST_CASE("migrations: a version 4 database gains registration tokens, its owners registered by DSN",
          "[store][migrations]") {
  SECTION("SQLite") {
    ads_sim_test::temp_dir dir;
    const auto file = dir.path() / "ads.db";
    REQUIRE(open_sqlite_store(file));
    sqlite_exec(file, before_registration_tokens);
    auto opened = open_sqlite_store(file);
    REQUIRE(opened);
    check_gained_registration_tokens(**opened);
  }
  SECTION("PostgreSQL") {
    e2e::postgres_database database;
    REQUIRE(open_pg_store(database.url()));
    database.exec(before_registration_tokens);
    auto opened = open_pg_store(database.url());
    REQUIRE(opened);
    check_gained_registration_tokens(**opened);
    pg::connection db(database.url());
    CHECK(pg::schema_version(db) == std::optional<int>(5));
  }
}

TEST_CASE("migrations: a SQLite file newer than the binary is refused", "[store][migrations]") {
  ads_sim_test::temp_dir dir;
  const auto file = dir.path() / "ads.db";
  auto opened = open_sqlite_store(file);
  REQUIRE(opened);
  CHECK_FALSE((*opened)->health_problem());
  sqlite_exec(file, "UPDATE meta SET value = '99' WHERE name = 'schema_version'");
  CHECK((*opened)->health_problem() == std::optional<std::string>(newer_refusal));
  const auto again = open_sqlite_store(file);
  REQUIRE_FALSE(again);
  CHECK(again.error() == newer_refusal);
}
