// The change feed between replicas on a real PostgreSQL: a device key published by one replica reaches every
// replica listening, and a replica whose listening connection was cut comes back, says so (it then wakes its
// devices), and hears the next change.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "ads_sim/change_feed.hpp"
#include "harness/postgres_database.hpp"

using namespace ads_sim;

namespace {

// What one replica's feed heard, kept until the test looks.
struct heard_log {
  std::vector<std::int64_t> keys;
  int resumed = 0;
  std::vector<std::string> lines;
};

std::shared_ptr<pg_change_feed> open_feed(boost::asio::io_context& io, const e2e::postgres_database& database,
                                          heard_log& log) {
  auto feed = pg_change_feed::open(
      io, database.url(), [&log](std::int64_t key) { log.keys.push_back(key); }, [&log] { ++log.resumed; },
      [&log](std::string_view line) { log.lines.emplace_back(line); });
  if (!feed) FAIL(feed.error().reason);
  return *feed;
}

// Runs the loop until `done()` or the deadline; true when done.
template <typename Done>
bool run_until(boost::asio::io_context& io, Done done, std::chrono::seconds deadline = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(std::chrono::milliseconds(20));
  }
  return done();
}

bool contains(const std::vector<std::int64_t>& keys, std::int64_t key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

TEST_CASE("change feed: the payload is a device key, and nothing else parses", "[ads_sim][replicas]") {
  CHECK(change_payload(42) == "42");
  CHECK(parse_change_payload("42") == 42);
  CHECK_FALSE(parse_change_payload("").has_value());
  CHECK_FALSE(parse_change_payload("0").has_value());
  CHECK_FALSE(parse_change_payload("-3").has_value());
  CHECK_FALSE(parse_change_payload("42 ").has_value());
  CHECK_FALSE(parse_change_payload("key").has_value());
}

TEST_CASE("change feed: a key published through one replica reaches the other", "[ads_sim][replicas][postgres]") {
  e2e::postgres_database database;
  boost::asio::io_context io;
  heard_log a_log, b_log;
  auto a = open_feed(io, database, a_log);
  auto b = open_feed(io, database, b_log);
  a->publish(17);
  b->publish(23);
  REQUIRE(run_until(io, [&] { return contains(b_log.keys, 17) && contains(a_log.keys, 23); }));
  a->stop();
  b->stop();
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
}

TEST_CASE("change feed: a cut listening connection comes back, says so, and hears the next change",
          "[ads_sim][replicas][postgres]") {
  e2e::postgres_database database;
  boost::asio::io_context io;
  heard_log a_log, b_log;
  auto a = open_feed(io, database, a_log);
  auto b = open_feed(io, database, b_log);
  // The administrator's view of the cut: every LISTEN session of this database ends.
  database.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND "
                "query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
  REQUIRE(run_until(io, [&] { return b_log.resumed >= 1 && a_log.resumed >= 1; }));
  CHECK(std::any_of(b_log.lines.begin(), b_log.lines.end(),
                    [](const std::string& line) { return line.find("reconnecting") != std::string::npos; }));
  a->publish(99);
  REQUIRE(run_until(io, [&] { return contains(b_log.keys, 99); }));
  a->stop();
  b->stop();
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
}
