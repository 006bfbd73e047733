#pragma once
// The wait before the next attempt after `failures` failures in a row (1 or more): `first`, doubled at each further
// failure, never above `longest`. Shared by the cloud connection and the ANS registration.
#include <algorithm>
#include <chrono>

namespace apca {

inline std::chrono::milliseconds doubling_backoff(std::chrono::milliseconds first, std::chrono::milliseconds longest,
                                                  int failures) {
  const int doublings = std::clamp(failures - 1, 0, 20);  // 2^20 times any first wait is past every longest one
  return std::min(longest, first * (1 << doublings));
}

}  // namespace apca
