#pragma once
// seeded_random: a small, fast generator (splitmix64) for what a fleet draws per module — send jitter, which modules
// a fault hits. The same seed gives the same draws on every machine and library, which std distributions do not
// promise; never for secrets (common::random_bytes is for those).
#include <cstdint>

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

 private:
  std::uint64_t state_;
};

}  // namespace fleet
