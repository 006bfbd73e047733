// The fleet's own draws: splitmix64's published outputs, so --seed means the same on every machine and library.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "fleet/seeded_random.hpp"

using namespace fleet;

TEST_CASE("seeded_random is splitmix64: its published outputs", "[fleet][random]") {
  seeded_random random(1234567);
  CHECK(random.next() == 6457827717110365317ULL);
  CHECK(random.next() == 3203168211198807973ULL);
  CHECK(random.next() == 9817491932198370423ULL);
  CHECK(seeded_random(0).next() == 0xe220a8397b1dcdafULL);
}

TEST_CASE("below stays below its bound and reaches every value", "[fleet][random]") {
  seeded_random random(7);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 200; ++i) {
    const auto value = random.below(6);
    REQUIRE(value < 6);
    seen.insert(value);
  }
  CHECK(seen.size() == 6);
  CHECK(random.below(1) == 0);
}

TEST_CASE("choose takes distinct items, ascending, the same for the same seed", "[fleet][random]") {
  std::vector<std::size_t> items;
  for (std::size_t i = 100; i < 120; ++i) items.push_back(i);
  seeded_random first(99);
  seeded_random again(99);
  const auto chosen = choose(items, 5, first);
  CHECK(chosen == choose(items, 5, again));
  REQUIRE(chosen.size() == 5);
  CHECK(std::set<std::size_t>(chosen.begin(), chosen.end()).size() == 5);
  CHECK(std::is_sorted(chosen.begin(), chosen.end()));
  for (const auto item : chosen) CHECK((item >= 100 && item < 120));
  seeded_random all(1);
  CHECK(choose(items, items.size(), all) == items);
  seeded_random none(1);
  CHECK(choose(items, 0, none).empty());
}

TEST_CASE("derived seeds differ by purpose and index and depend on nothing else", "[fleet][random]") {
  const auto module_7 = derived_seed(42, seed_purpose::module_host, 7);
  CHECK(module_7 == derived_seed(42, seed_purpose::module_host, 7));
  CHECK(module_7 != derived_seed(42, seed_purpose::module_host, 8));
  CHECK(module_7 != derived_seed(43, seed_purpose::module_host, 7));
  CHECK(module_7 != derived_seed(42, seed_purpose::fault_hits, 7));
}
