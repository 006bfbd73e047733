#include "fleet/seeded_random.hpp"

#include <algorithm>
#include <utility>

namespace fleet {

namespace {

constexpr std::uint64_t rotate_left(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t splitmix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

xoshiro256ss::xoshiro256ss(std::uint64_t seed) {
  splitmix64 seeder(seed);
  for (auto& word : state_) word = seeder.next();
}

xoshiro256ss xoshiro256ss::from_state(const std::array<std::uint64_t, 4>& state) {
  xoshiro256ss out;
  out.state_ = state;
  return out;
}

std::uint64_t xoshiro256ss::next() {
  auto& s = state_;
  const std::uint64_t result = rotate_left(s[1] * 5, 7) * 9;
  const std::uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotate_left(s[3], 45);
  return result;
}

std::uint64_t xoshiro256ss::below(std::uint64_t bound) {
  // 2^64 mod bound values at the bottom would make the low results likelier: draw again when one comes.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t draw = next();
    if (draw >= threshold) return draw % bound;
  }
}

std::uint64_t derived_seed(std::uint64_t seed, seed_purpose purpose, std::uint64_t index) {
  splitmix64 purpose_stream(seed ^ splitmix64(static_cast<std::uint64_t>(purpose)).next());
  return splitmix64(purpose_stream.next() + index * 0x9e3779b97f4a7c15ULL).next();
}

std::vector<std::size_t> choose(std::vector<std::size_t> items, std::size_t count, xoshiro256ss& random) {
  for (std::size_t place = 0; place < count; ++place) {
    const auto pick = place + static_cast<std::size_t>(random.below(items.size() - place));
    std::swap(items[place], items[pick]);
  }
  items.resize(count);
  std::sort(items.begin(), items.end());
  return items;
}

}  // namespace fleet
