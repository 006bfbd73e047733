// GET /healthz (SPEC §10): what a load balancer asks — 200 while the database answers with the current schema,
// 503 with the reason once it does not.
#include <catch2/catch.hpp>

#include "ads_sim/store/sqlite_database.hpp"
#include "support.hpp"

using namespace ads_sim_test;

TEST_CASE("healthz: 200 over a current database, 503 once its schema is newer", "[ads_sim][healthz]") {
  core_fixture f;
  const auto ok = f.respond(make_request("GET", "/healthz"));
  CHECK(ok.status == 200);
  CHECK(body_of(ok) == json{{"status", "ok"}});

  ads_sim::sqlite::database behind(f.dir.path() / "ads.db");  // another ads-sim, newer, migrated the file
  REQUIRE(behind.exec("UPDATE meta SET value = '6' WHERE name = 'schema_version'"));
  const auto refused = f.respond(make_request("GET", "/healthz"));
  CHECK(refused.status == 503);
  CHECK(body_of(refused)["status"] == "unavailable");
  CHECK(body_of(refused)["reason"] ==
        "database schema version 6 is newer than this ads-sim knows (5): run a newer ads-sim");
  CHECK(f.respond(make_request("POST", "/healthz")).status == 405);
}
