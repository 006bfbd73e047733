#pragma once
// The process's open-file limit, raised for programs that hold many connections (a fleet, a device service): the
// soft limit goes up as far as the hard one allows; past the hard one, a reason that names both numbers.
#include <cstddef>
#include <string_view>

#include "common/result.hpp"

namespace common {

// The most a program asks for when the hard limit is unlimited.
inline constexpr std::size_t most_descriptors_asked = std::size_t{1} << 20;

// Raises the soft limit to `needed`: the limit in force after, or "WHO_NEEDS N file descriptors and the hard limit is
// H (raise it: ulimit -Hn, or LimitNOFILE=)", who_needs saying what asks ("1000 modules need").
outcome<std::size_t> raise_descriptor_limit(std::size_t needed, std::string_view who_needs);

// Raises the soft limit to the hard one (at most most_descriptors_asked): the limit in force after.
std::size_t raise_descriptor_limit_fully();

}  // namespace common
