#include "fleet/seeded_random.hpp"

#include <algorithm>
#include <utility>

namespace fleet {

std::uint64_t seeded_random::below(std::uint64_t bound) {
  // The 2^64 mod bound lowest draws would make the low results likelier: draw again when one comes.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t draw = next();
    if (draw >= threshold) return draw % bound;
  }
}

std::uint64_t derived_seed(std::uint64_t seed, seed_purpose purpose, std::uint64_t index) {
  seeded_random purpose_stream(seed ^ seeded_random(static_cast<std::uint64_t>(purpose)).next());
  return seeded_random(purpose_stream.next() + index * 0x9e3779b97f4a7c15ULL).next();
}

std::vector<std::size_t> choose(std::vector<std::size_t> items, std::size_t count, seeded_random& random) {
  for (std::size_t place = 0; place < count; ++place) {
    const auto pick = place + static_cast<std::size_t>(random.below(items.size() - place));
    std::swap(items[place], items[pick]);
  }
  items.resize(count);
  std::sort(items.begin(), items.end());
  return items;
}

}  // namespace fleet
