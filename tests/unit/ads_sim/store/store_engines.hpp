#pragma once
// The store engines the store tests run against: each opens a fresh, empty store — SQLite in its own temp dir,
// PostgreSQL in its own database on the `postgres` fixture's server. Every TEMPLATE_LIST_TEST_CASE runs on both.
#include <memory>
#include <tuple>

#include "../support.hpp"
#include "ads_sim/store/pg_store.hpp"
#include "ads_sim/store/sqlite_store.hpp"
#include "harness/postgres_database.hpp"

struct sqlite_engine {
  ads_sim_test::temp_dir dir;
  std::unique_ptr<ads_sim::store> open() {
    auto opened = ads_sim::open_sqlite_store(dir.path() / "ads.db");
    REQUIRE(opened);
    return std::move(opened).value();
  }
};

struct postgresql_engine {
  e2e::postgres_database database;
  std::unique_ptr<ads_sim::store> open() {
    auto opened = ads_sim::open_pg_store(database.url());
    INFO((opened ? std::string() : opened.error()));
    REQUIRE(opened);
    return std::move(opened).value();
  }
};

using store_engines = std::tuple<sqlite_engine, postgresql_engine>;

// A store of engine `Engine` with one OEM ("oem1") and one device of model "m1" (its key in `device`).
template <typename Engine>
struct store_fixture {
  Engine engine;
  std::unique_ptr<ads_sim::store> db = engine.open();
  ads_sim::device_record device;

  store_fixture() {
    REQUIRE(db->oems().insert_oem({"oem1", "OEM One", "a@b.c", "secret"}, "t0"));
    ads_sim::device_record wanted;
    wanted.oem_id = "oem1";
    wanted.model = "m1";
    wanted.public_key = "pub";
    wanted.private_key_pem = "priv";
    auto stored = db->devices().insert_device(wanted, "t0");
    REQUIRE(stored);
    device = *stored;
  }
};
