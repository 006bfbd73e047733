#pragma once
// seeded_random: the fleet's reproducible draws (send jitter, which modules a fault hits, each module's own seed).
// splitmix64 (Vigna's, with its published test vector) and our own Fisher-Yates, not <random>: std::shuffle and the
// std distributions are implementation-defined, so the same --seed would give another plan on another standard
// library. Never for secrets (common::random_bytes is for those).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleet {

class seeded_random {
 public:
  explicit seeded_random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1): the top 53 bits, as many as a double holds exactly.
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

  // Uniform in [0, bound), bound > 0, without modulo bias (draws again below 2^64 mod bound).
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t state_;
};

// Independent streams from one fleet seed: what a seed is for (`purpose`) and which one (`index`) give a seed of
// its own, so adding a fault does not move another's draws and module 7's seed does not depend on the fleet's size.
enum class seed_purpose : std::uint64_t { module_host = 1, fault_hits = 2 };
std::uint64_t derived_seed(std::uint64_t seed, seed_purpose purpose, std::uint64_t index);

// `count` of `items` chosen uniformly (a Fisher-Yates shuffle of the first `count` places), in ascending order.
// count <= items.size().
std::vector<std::size_t> choose(std::vector<std::size_t> items, std::size_t count, seeded_random& random);

}  // namespace fleet
