// Group commit: the changes of a group of store calls are stored together at its end, on every engine; on SQLite
// another connection sees none of them before, a call's own transaction inside the group is a savepoint, and an
// abandoned group leaves nothing.
#include <catch2/catch.hpp>

#include "ads_sim/store/sqlite_database.hpp"
#include "store_engines.hpp"

using namespace ads_sim;

namespace {

std::int64_t oems_seen_by_another_connection(const std::filesystem::path& file) {
  sqlite::database other(file);
  sqlite::statement count(other, "SELECT COUNT(*) FROM oems");
  REQUIRE(count.step());
  return count.column_int(0);
}

std::vector<std::int64_t> numbers(sqlite::database& db) {
  sqlite::statement query(db, "SELECT n FROM numbers ORDER BY n");
  std::vector<std::int64_t> found;
  while (query.step()) found.push_back(query.column_int(0));
  return found;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("store groups: every change of a group is stored at its end", "[store]", store_engines) {
  TestType engine;
  auto db = engine.open();
  db->begin_group();
  REQUIRE(db->oems().insert_oem({"oem1", "One", "a@b.c", "s1"}, "t0"));
  REQUIRE(db->oems().insert_oem({"oem2", "Two", "a@b.c", "s2"}, "t0"));
  CHECK(db->oems().insert_oem({"oem1", "Again", "a@b.c", "s3"}, "t0").error() == store_error::exists);
  CHECK(db->oems().find_oem("oem2"));  // the group reads its own changes
  CHECK_FALSE(db->group_lost());
  CHECK(db->end_group());

  const auto reopened = engine.open();
  CHECK(reopened->oems().list_oems().size() == 2);
  CHECK(reopened->oems().find_oem("oem1")->name == "One");
}

TEST_CASE("sqlite groups: another connection sees a group's changes only once it has ended", "[store][sqlite]") {
  sqlite_engine engine;
  auto db = engine.open();
  const auto file = engine.dir.path() / "ads.db";
  db->begin_group();
  REQUIRE(db->oems().insert_oem({"oem1", "One", "a@b.c", "s1"}, "t0"));
  CHECK(oems_seen_by_another_connection(file) == 0);
  REQUIRE(db->end_group());
  CHECK(oems_seen_by_another_connection(file) == 1);

  db->begin_group();
  REQUIRE(db->oems().insert_oem({"oem2", "Two", "a@b.c", "s2"}, "t0"));
  db->abandon_group();
  CHECK_FALSE(db->oems().find_oem("oem2"));
  CHECK(oems_seen_by_another_connection(file) == 1);
  CHECK(db->end_group());  // nothing open: nothing to lose
}

TEST_CASE("sqlite transactions inside an open one are savepoints of it", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  sqlite::database db(dir.path() / "nested.db");
  REQUIRE(db.exec("CREATE TABLE numbers (n INTEGER)"));
  CHECK_FALSE(db.in_transaction());
  REQUIRE(db.exec("BEGIN IMMEDIATE"));
  REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", std::int64_t{1}));
  {
    sqlite::transaction rolled_back(db);
    REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", std::int64_t{2}));
  }
  {
    sqlite::transaction kept(db);
    REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", std::int64_t{3}));
    REQUIRE(kept.commit());
  }
  CHECK(db.in_transaction());  // the inner commit kept its changes for the outer transaction, which goes on
  CHECK(numbers(db) == std::vector<std::int64_t>{1, 3});
  REQUIRE(db.exec("ROLLBACK"));
  CHECK(numbers(db).empty());

  {
    sqlite::transaction alone(db);  // with none open: a transaction of its own
    REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", std::int64_t{4}));
    CHECK(db.in_transaction());
    REQUIRE(alone.commit());
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(numbers(db) == std::vector<std::int64_t>{4});
}
