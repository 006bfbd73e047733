// The WAL is copied back into the database file by the checkpointer's thread, never inside the writer's commit: the
// database file alone holds the rows once the checkpointer has run, and a commit past SQLite's own 1,000 pages
// leaves them in the WAL when the checkpointer's threshold is higher.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "ads_sim/store/wal_checkpointer.hpp"
#include "store_engines.hpp"

using namespace ads_sim;

namespace {

// Rows of 4 KiB, committed at once: about a WAL page each.
void insert_pages(sqlite::database& db, int rows) {
  REQUIRE(db.exec("BEGIN IMMEDIATE"));
  const std::string page(4096, 'x');
  for (int i = 0; i < rows; ++i) REQUIRE(sqlite::execute(db, "INSERT INTO pages (bytes) VALUES (?)", page));
  REQUIRE(db.exec("COMMIT"));
}

// Rows in a copy of the database file alone, without its WAL: what a checkpoint has copied back.
std::int64_t rows_in_file_alone(const std::filesystem::path& file) {
  const auto copy = file.parent_path() / "copy.db";
  std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing);
  sqlite::database alone(copy);
  sqlite::statement count(alone, "SELECT COUNT(*) FROM pages");
  if (!count.step()) return -1;  // no table yet: the file predates it
  return count.column_int(0);
}

}  // namespace

TEST_CASE("sqlite: past its threshold the checkpointer's thread copies the WAL into the file", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  const auto file = dir.path() / "ads.db";
  sqlite::database writer(file);
  REQUIRE(writer.exec("CREATE TABLE pages (bytes BLOB)"));
  sqlite::wal_checkpointer checkpointer(writer, file, 16);
  insert_pages(writer, 40);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (checkpointer.checkpoints_run() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(checkpointer.checkpoints_run() == 1);
  CHECK(rows_in_file_alone(file) == 40);
}

TEST_CASE("sqlite: with a checkpointer the writer's commits do not checkpoint themselves", "[store][sqlite]") {
  ads_sim_test::temp_dir dir;
  const auto file = dir.path() / "ads.db";
  sqlite::database writer(file);
  REQUIRE(writer.exec("CREATE TABLE pages (bytes BLOB)"));
  insert_pages(writer, 1);
  REQUIRE(writer.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  REQUIRE(rows_in_file_alone(file) == 1);
  {
    sqlite::wal_checkpointer checkpointer(writer, file, 100'000);
    insert_pages(writer, 1'200);  // past SQLite's own 1,000-page automatic checkpoint
    CHECK(rows_in_file_alone(file) == 1);
    CHECK(std::filesystem::file_size(file.string() + "-wal") > 1'200u * 4096u);
    CHECK(checkpointer.checkpoints_run() == 0);
  }
  insert_pages(writer, 1'000);  // without it, the commit checkpoints again
  CHECK(rows_in_file_alone(file) == 2'201);
}
