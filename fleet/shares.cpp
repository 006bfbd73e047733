#include "fleet/shares.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fleet {

std::uint64_t share_parts(double share) {
  return static_cast<std::uint64_t>(std::llround(share * static_cast<double>(share_whole)));
}

std::vector<std::size_t> split_by_largest_remainder(std::size_t total, const std::vector<std::uint64_t>& parts) {
  std::vector<std::size_t> sizes(parts.size());
  std::vector<std::uint64_t> remainders(parts.size());
  std::size_t given = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::uint64_t quota = parts[i] * total;  // parts <= 1e9: exact up to 1.8e10 modules
    sizes[i] = static_cast<std::size_t>(quota / share_whole);
    remainders[i] = quota % share_whole;
    given += sizes[i];
  }
  std::vector<std::size_t> order(parts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t i = 0; given < total && i < order.size(); ++i, ++given) ++sizes[order[i]];
  return sizes;
}

std::size_t round_share(std::uint64_t parts, std::size_t total) {
  return static_cast<std::size_t>((parts * total + share_whole / 2) / share_whole);
}

}  // namespace fleet
