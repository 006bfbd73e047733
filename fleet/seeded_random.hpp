#pragma once
// seeded_random: the fleet's reproducible randomness (which modules a fault hits, each module's own seed). Written
// out here, not taken from <random>: std::shuffle and the distributions are implementation-defined, so the same
// --seed would give another plan on another standard library. splitmix64 and xoshiro256** are Vigna's, with their
// published test vectors.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleet {

// splitmix64: a 64-bit counter through a mixing function. Seeds xoshiro and derives seeds from seeds.
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();

 private:
  std::uint64_t state_;
};

// xoshiro256**: the generator behind every draw.
class xoshiro256ss {
 public:
  explicit xoshiro256ss(std::uint64_t seed);  // the state is four outputs of splitmix64(seed)
  static xoshiro256ss from_state(const std::array<std::uint64_t, 4>& state);

  std::uint64_t next();
  // Uniform in [0, bound), bound > 0, without modulo bias (draws again below 2^64 mod bound).
  std::uint64_t below(std::uint64_t bound);

 private:
  xoshiro256ss() = default;
  std::array<std::uint64_t, 4> state_{};
};

// Independent streams from one fleet seed: what a seed is for (`purpose`) and which one (`index`) give a seed of
// its own, so adding a fault does not move another's draws and module 7's seed does not depend on the fleet's size.
enum class seed_purpose : std::uint64_t { module_host = 1, fault_hits = 2 };
std::uint64_t derived_seed(std::uint64_t seed, seed_purpose purpose, std::uint64_t index);

// `count` of `items` chosen uniformly (a Fisher-Yates shuffle of the first `count` places), in ascending order.
// count <= items.size().
std::vector<std::size_t> choose(std::vector<std::size_t> items, std::size_t count, xoshiro256ss& random);

}  // namespace fleet
