// Two stores on one PostgreSQL database, as two ads-sim replicas will be: what one queues the other can take, and
// taking from both at once delivers each entry once; counters two processes bump at once count both bumps.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "store_engines.hpp"

using namespace ads_sim;

namespace {

// Takes in batches of 3 until the queue is empty; the command ids taken.
std::vector<std::int64_t> take_all(store& db, std::int64_t device_key) {
  std::vector<std::int64_t> ids;
  for (;;) {
    const auto batch = db.properties().take_queued_commands(device_key, 3);
    if (batch.cmds.empty()) return ids;
    for (const auto& command : batch.cmds) ids.push_back(command.id);
  }
}

}  // namespace

TEST_CASE("shared database: two stores taking one device's queue at once deliver each command once",
          "[store][postgres]") {
  store_fixture<postgresql_engine> f;
  auto second = f.engine.open();
  std::set<std::int64_t> queued;
  for (int i = 0; i < 200; ++i) {
    const auto id = f.db->properties().queue_command(f.device.key, "PUT", "ota.json", "{}", "t1");
    REQUIRE(id);
    queued.insert(*id);
  }
  std::vector<std::int64_t> first_ids, second_ids;
  std::thread other([&] { second_ids = take_all(*second, f.device.key); });
  first_ids = take_all(*f.db, f.device.key);
  other.join();
  std::multiset<std::int64_t> delivered(first_ids.begin(), first_ids.end());
  delivered.insert(second_ids.begin(), second_ids.end());
  CHECK(delivered.size() == queued.size());  // none twice...
  CHECK(std::set<std::int64_t>(delivered.begin(), delivered.end()) == queued);  // ...none lost
  CHECK(f.db->properties().unanswered_commands(f.device.key).size() == queued.size());
}

TEST_CASE("shared database: failed logins counted by two stores at once are all counted", "[store][postgres]") {
  store_fixture<postgresql_engine> f;
  auto second = f.engine.open();
  int recorded = 0;  // by the other thread (Catch's assertions are for this one)
  std::thread other([&] {
    for (int i = 0; i < 100; ++i) recorded += second->accounts().record_failure("A@example.com", i) ? 1 : 0;
  });
  for (int i = 0; i < 100; ++i) REQUIRE(f.db->accounts().record_failure("a@EXAMPLE.com", i));
  other.join();
  CHECK(recorded == 100);
  CHECK(f.db->accounts().failures_of("a@example.com").count == 200);
}

TEST_CASE("shared database: a property queued twice by two stores waits once", "[store][postgres]") {
  store_fixture<postgresql_engine> f;
  auto second = f.engine.open();
  property_record property;
  property.device_key = f.device.key;
  property.name = "Blue_LED";
  property.type = base_type::boolean;
  property.dir = direction::to_device;
  property.value_json = "1";
  REQUIRE(f.db->properties().record_value(property, "{}", "t1"));
  REQUIRE(f.db->properties().queue_property(f.device.key, "Blue_LED", "t1"));
  REQUIRE(second->properties().queue_property(f.device.key, "Blue_LED", "t2"));
  const auto batch = second->properties().take_queued(f.device.key, 16);
  REQUIRE(batch.properties.size() == 1);
  CHECK(batch.properties[0].value_json == std::optional<std::string>("1"));
  CHECK_FALSE(f.db->properties().has_queued(f.device.key));
}

TEST_CASE("shared database: a device one store marks listening is listening through the other",
          "[store][postgres]") {
  store_fixture<postgresql_engine> f;
  auto second = f.engine.open();
  const std::int64_t until = 1'800'000'065'000;
  REQUIRE(f.db->devices().mark_device_listening(f.device.key, until));
  CHECK(second->devices().find_device(f.device.key)->listening_until_ms == std::optional(until));
  REQUIRE(second->devices().mark_device_not_listening(f.device.key));
  CHECK_FALSE(f.db->devices().find_device(f.device.key)->listening_until_ms);
}
