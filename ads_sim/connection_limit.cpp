#include "ads_sim/connection_limit.hpp"

#include <algorithm>
#include <string>

#include "common/descriptor_limit.hpp"

namespace ads_sim {

common::outcome<std::size_t> fit_connection_limit(std::optional<std::size_t> asked) {
  if (asked) {
    const auto raised = common::raise_descriptor_limit(*asked + descriptors_kept_for_the_service,
                                                       "--max-connections " + std::to_string(*asked) + " needs");
    if (!raised) return raised.error();
    return *asked;
  }
  const std::size_t descriptors = common::raise_descriptor_limit_fully();
  // A limit too small to keep the usual share for the service still serves half of it.
  const std::size_t beyond_kept =
      descriptors > descriptors_kept_for_the_service ? descriptors - descriptors_kept_for_the_service : 0;
  return std::max<std::size_t>({beyond_kept, descriptors / 2, 1});
}

}  // namespace ads_sim
