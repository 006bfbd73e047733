#pragma once
// admin_retry: whether an admin call that failed is worth making again, and after how long. Behind a load balancer a
// replica may die under a call (kill -9, a pod rescheduled): the answer is then a transport error, or 502/503/504
// from the balancer, and the next connection reaches a live replica. Every other answer is the service's own and
// final. Sans-I/O: the caller sleeps (on its worker) and counts.
#include <chrono>
#include <optional>

#include "ads_admin/admin_session.hpp"

namespace ads_admin {

struct retry_policy {
  std::chrono::milliseconds first_delay{250};  // doubled after each attempt...
  std::chrono::milliseconds longest_delay{4000};  // ...up to this
  std::chrono::milliseconds give_up_after{30000};  // time spent (calls and delays) after which a failure is final
};

// The delay before attempt `attempts_made + 1`, or nothing when `reply` is final (an answer of the service, or the
// time is up).
std::optional<std::chrono::milliseconds> retry_delay(const admin_reply& reply, int attempts_made,
                                                     std::chrono::milliseconds spent, const retry_policy& policy = {});

}  // namespace ads_admin
