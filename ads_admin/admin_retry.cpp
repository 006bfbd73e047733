#include "ads_admin/admin_retry.hpp"

#include <algorithm>

namespace ads_admin {

namespace {
bool service_did_not_answer(const admin_reply& reply) {
  return reply.status == 0 || reply.status == 502 || reply.status == 503 || reply.status == 504;
}
}  // namespace

std::optional<std::chrono::milliseconds> retry_delay(const admin_reply& reply, int attempts_made,
                                                     std::chrono::milliseconds spent, const retry_policy& policy) {
  if (!service_did_not_answer(reply)) return std::nullopt;
  auto delay = policy.first_delay;
  for (int i = 1; i < attempts_made && delay < policy.longest_delay; ++i) delay *= 2;
  delay = std::min(delay, policy.longest_delay);
  if (spent + delay >= policy.give_up_after) return std::nullopt;
  return delay;
}

}  // namespace ads_admin
