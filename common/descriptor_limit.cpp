#include "common/descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <string>

namespace common {

namespace {

std::size_t soft_limit(const rlimit& limit) {
  return limit.rlim_cur == RLIM_INFINITY ? most_descriptors_asked : static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t hard_limit(const rlimit& limit) {
  return limit.rlim_max == RLIM_INFINITY ? most_descriptors_asked : static_cast<std::size_t>(limit.rlim_max);
}

}  // namespace

outcome<std::size_t> raise_descriptor_limit(std::size_t needed, std::string_view who_needs) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return needed;  // no limit to read: nothing to raise
  if (soft_limit(limit) >= needed) return soft_limit(limit);
  if (limit.rlim_max != RLIM_INFINITY && hard_limit(limit) < needed)
    return failure{std::string(who_needs) + " " + std::to_string(needed) + " file descriptors and the hard limit is " +
                   std::to_string(hard_limit(limit)) + " (raise it: ulimit -Hn, or LimitNOFILE=)"};
  limit.rlim_cur = static_cast<rlim_t>(needed);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
    return failure{"cannot raise the file descriptor limit to " + std::to_string(needed)};
  return needed;
}

std::size_t raise_descriptor_limit_fully() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return most_descriptors_asked;
  const std::size_t wanted = hard_limit(limit);
  if (soft_limit(limit) >= wanted) return soft_limit(limit);
  limit.rlim_cur = static_cast<rlim_t>(wanted);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return soft_limit(limit);
  return wanted;
}

}  // namespace common
