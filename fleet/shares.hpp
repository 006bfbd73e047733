#pragma once
// shares: a fleet file's percentages as whole parts of a billion, so that checking they add up to 100% and
// splitting N modules by them is exact integer arithmetic, the same on every machine.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleet {

constexpr std::uint64_t share_whole = 1'000'000'000;  // 100%

// 0..1 as parts of share_whole (nearest).
std::uint64_t share_parts(double share);

// `total` split by `parts` (which sum to share_whole) by largest remainder: each gets the whole part of its quota,
// the ones left over go to the largest remainders, the earlier on a tie. The sizes sum to `total`.
std::vector<std::size_t> split_by_largest_remainder(std::size_t total, const std::vector<std::uint64_t>& parts);

// `parts` of `total`, to the nearest whole (a half rounds up).
std::size_t round_share(std::uint64_t parts, std::size_t total);

}  // namespace fleet
