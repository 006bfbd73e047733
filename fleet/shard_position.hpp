#pragma once
// shard_position: which part of a fleet split across processes one run is (`sim7600-fleet --shard I/N`, SPEC §9).
// Plain data, shared by the command line, the plan, the roster and the reports.
#include <cstddef>

namespace fleet {

// Shard `index` of `count` (0 <= index < count). Fleet module m belongs to shard m % count (fleet_plan.hpp).
struct shard_position {
  std::size_t index = 0;
  std::size_t count = 1;
  bool operator==(const shard_position&) const = default;
};

}  // namespace fleet
