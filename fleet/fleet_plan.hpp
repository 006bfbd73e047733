#pragma once
// fleet_plan: which group each module of a fleet is in, which modules each fault hits, and each module's own seed,
// from the fleet file, --count and --seed alone: the same three give the same plan on any machine, so a failed run
// can be run again exactly (docs: fleet/README.md, "Who is hit").
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "fleet/fleet_model.hpp"
#include "fleet/shard_position.hpp"

namespace fleet {

// One module's part in the fleet. Module numbers are 0..N-1, the order the fleet makes or lists its modules in.
struct module_plan {
  std::uint32_t group = 0;  // index in fleet_file::groups
  std::uint64_t seed = 0;   // its own, for its host's jitter: depends only on the fleet seed and its number
  expectation expect;       // its group's, changed by each fault that hits it, in the file's order
};

struct fleet_plan {
  std::vector<module_plan> modules;
  // Per fault of the file, in its order: the modules it hits, ascending. A module may be hit by several faults.
  std::vector<std::vector<std::size_t>> fault_hits;
};

// Groups take consecutive numbers in the file's order: counts exactly, shares of the modules the counts leave
// (largest remainder, so the sizes sum to N). A fault hits a share (rounded, a half up) or a count of the modules
// it may hit, drawn by a seeded shuffle. The error is one line, naming the fault's or group's line in the file.
common::result<fleet_plan, std::string> plan_fleet(const fleet_file& file, std::size_t module_count,
                                                   std::uint64_t seed);

// The fleet numbers of the modules shard `shard` runs, ascending: m with m % shard.count == shard.index. Every group
// is a consecutive run of numbers, so each shard runs each group's share of it, give or take one module.
std::vector<std::size_t> shard_members(std::size_t module_count, shard_position shard);

// The plan of `whole` for `members` only (fleet numbers, ascending), renumbered 0.. in that order: each keeps the
// group, seed and expectation the whole fleet's plan gives it, and each fault hits exactly those of its modules the
// whole plan has it hit, so the shards' plans together are the whole fleet's plan.
fleet_plan plan_of_members(const fleet_plan& whole, const std::vector<std::size_t>& members);

// Whether a group's built-in host takes an OTA the campaign starts (module_ota or host_ota in both).
bool takes_offered_ota(const fleet_file& file, const group& target);

// The modules a fault may hit: those of its group (or all), and for an OTA-phase trigger only those whose group
// takes an OTA the campaign starts (a module that never downloads cannot lose coverage while downloading).
bool may_hit(const fleet_file& file, const fault& one, const group& target);

}  // namespace fleet
