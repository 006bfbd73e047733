// The SQLite connection keeps its statements compiled: a text run again is not compiled again, yet every run starts
// from nothing bound and the first row, two of one text may be open at once, and a kept statement follows a change
// of the schema.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "ads_sim/store/sqlite_database.hpp"
#include "store_engines.hpp"

using namespace ads_sim;

namespace {

// How many compiled statements the connection holds (kept ones and any still open).
int compiled_statements(const sqlite::database& db) {
  int count = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.native(), nullptr); s; s = sqlite3_next_stmt(db.native(), s)) ++count;
  return count;
}

std::vector<std::int64_t> numbers_above(sqlite::database& db, std::int64_t floor) {
  sqlite::statement query(db, "SELECT n FROM numbers WHERE n > ? ORDER BY n");
  query.bind(1, floor);
  std::vector<std::int64_t> found;
  while (query.step()) found.push_back(query.column_int(0));
  return found;
}

}  // namespace

TEST_CASE("sqlite statements: a text run again is the kept statement, from its first row", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  sqlite::database db(dir.path() / "kept.db");
  REQUIRE(db.exec("CREATE TABLE numbers (n INTEGER)"));
  for (std::int64_t n = 1; n <= 5; ++n) REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", n));
  const int after_inserts = compiled_statements(db);

  CHECK(numbers_above(db, 3) == std::vector<std::int64_t>{4, 5});
  CHECK(numbers_above(db, 0) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  {
    sqlite::statement half_read(db, "SELECT n FROM numbers WHERE n > ? ORDER BY n");
    half_read.bind(1, 0);
    REQUIRE(half_read.step());  // left after its first row: the next of its text starts over
  }
  CHECK(numbers_above(db, 4) == std::vector<std::int64_t>{5});
  CHECK(compiled_statements(db) == after_inserts + 1);  // one SELECT, compiled once for its four runs
  CHECK(db.kept_statements() == static_cast<std::size_t>(compiled_statements(db)));
}

TEST_CASE("sqlite statements: two of one text open at once each read their own rows", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  sqlite::database db(dir.path() / "nested.db");
  REQUIRE(db.exec("CREATE TABLE numbers (n INTEGER); INSERT INTO numbers VALUES (1), (2), (3);"));
  sqlite::statement outer(db, "SELECT n FROM numbers WHERE n > ? ORDER BY n");
  outer.bind(1, 1);
  std::vector<std::int64_t> pairs;
  while (outer.step()) {
    for (const auto inner : numbers_above(db, outer.column_int(0))) pairs.push_back(outer.column_int(0) * 10 + inner);
  }
  CHECK(pairs == std::vector<std::int64_t>{23});
  CHECK(numbers_above(db, 0) == std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("sqlite statements: a kept statement follows a new column and a failed one is not kept", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  sqlite::database db(dir.path() / "schema.db");
  REQUIRE(db.exec("CREATE TABLE numbers (n INTEGER); INSERT INTO numbers VALUES (7);"));
  const auto everything = [&] {
    sqlite::statement all(db, "SELECT * FROM numbers");
    REQUIRE(all.step());
    return all.column_text(0);
  };
  CHECK(everything() == "7");
  REQUIRE(db.exec("ALTER TABLE numbers ADD COLUMN label TEXT DEFAULT 'seven'"));
  {
    sqlite::statement all(db, "SELECT * FROM numbers");
    REQUIRE(all.step());
    CHECK(all.column_text(1) == "seven");  // recompiled by SQLite for the new schema
  }
  const std::size_t kept = db.kept_statements();
  {
    sqlite::statement broken(db, "SELECT missing FROM nowhere");
    CHECK(broken.failed());
    CHECK_FALSE(broken.step());
  }
  CHECK_THAT(db.error(), Catch::Matchers::Contains("no such table: nowhere"));
  CHECK(db.kept_statements() == kept);
}

TEST_CASE("sqlite statements: transactions commit and roll back through kept statements", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  sqlite::database db(dir.path() / "transactions.db");
  REQUIRE(db.exec("CREATE TABLE numbers (n INTEGER)"));
  for (int round = 0; round < 3; ++round) {
    {
      sqlite::transaction kept(db);
      REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", std::int64_t{round}));
      REQUIRE(kept.commit());
    }
    {
      sqlite::transaction dropped(db);
      REQUIRE(sqlite::execute(db, "INSERT INTO numbers (n) VALUES (?)", std::int64_t{100 + round}));
    }  // no commit: rolled back
  }
  CHECK(numbers_above(db, -1) == std::vector<std::int64_t>{0, 1, 2});
  CHECK(db.ok());
}
