// The fleet's own randomness: Vigna's published outputs, so --seed means the same on every machine and library.
#include <catch2/catch.hpp>

#include <set>

#include "fleet/seeded_random.hpp"

using namespace fleet;

TEST_CASE("splitmix64 and xoshiro256** give their published outputs", "[fleet][random]") {
  splitmix64 mix(1234567);
  CHECK(mix.next() == 6457827717110365317ULL);
  CHECK(mix.next() == 3203168211198807973ULL);
  CHECK(mix.next() == 9817491932198370423ULL);
  CHECK(splitmix64(0).next() == 0xe220a8397b1dcdafULL);

  auto random = xoshiro256ss::from_state({1, 2, 3, 4});
  CHECK(random.next() == 11520);
  CHECK(random.next() == 0);
  CHECK(random.next() == 1509978240);
  CHECK(random.next() == 1215971899390074240ULL);
}

TEST_CASE("below stays below its bound and reaches every value", "[fleet][random]") {
  xoshiro256ss random(7);
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
  xoshiro256ss first(99);
  xoshiro256ss again(99);
  const auto chosen = choose(items, 5, first);
  CHECK(chosen == choose(items, 5, again));
  REQUIRE(chosen.size() == 5);
  CHECK(std::set<std::size_t>(chosen.begin(), chosen.end()).size() == 5);
  CHECK(std::is_sorted(chosen.begin(), chosen.end()));
  for (const auto item : chosen) CHECK((item >= 100 && item < 120));
  xoshiro256ss all(1);
  CHECK(choose(items, items.size(), all) == items);
  xoshiro256ss none(1);
  CHECK(choose(items, 0, none).empty());
}

TEST_CASE("derived seeds differ by purpose and index and depend on nothing else", "[fleet][random]") {
  const auto module_7 = derived_seed(42, seed_purpose::module_host, 7);
  CHECK(module_7 == derived_seed(42, seed_purpose::module_host, 7));
  CHECK(module_7 != derived_seed(42, seed_purpose::module_host, 8));
  CHECK(module_7 != derived_seed(43, seed_purpose::module_host, 7));
  CHECK(module_7 != derived_seed(42, seed_purpose::fault_hits, 7));
}
