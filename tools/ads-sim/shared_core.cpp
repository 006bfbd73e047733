#include "tools/ads-sim/shared_core.hpp"

#include <variant>

namespace ads_sim {
namespace {

// Compares owners without lock(): a temporary strong reference could be a waiter's last one.
bool same_owner(const std::weak_ptr<poll_waiter>& a, const std::weak_ptr<poll_waiter>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

}  // namespace

shared_core::shared_core(const std::filesystem::path& database_file, std::string admin_token)
    : core_(database_file, std::move(admin_token)) {}

outcome shared_core::handle(const http_request& request, clock_time now, bool may_hold,
                            std::weak_ptr<poll_waiter> waiter) {
  return with_core([&](service_core& core) {
    outcome answer = core.handle(request, now, may_hold);
    if (const auto* hold = std::get_if<hold_poll>(&answer)) {
      waiters_[hold->device_key].push_back(std::move(waiter));
      core.set_listening(request.connection_id, hold->device_key, true);
    }
    return answer;
  });
}

void shared_core::unpark(std::uint64_t connection_id, std::int64_t device_key,
                         const std::weak_ptr<poll_waiter>& waiter) {
  std::lock_guard lock(mutex_);
  core_.set_listening(connection_id, device_key, false);
  const auto found = waiters_.find(device_key);
  if (found == waiters_.end()) return;
  std::erase_if(found->second, [&](const std::weak_ptr<poll_waiter>& parked) {
    return parked.expired() || same_owner(parked, waiter);
  });
  if (found->second.empty()) waiters_.erase(found);
}

void shared_core::connection_closed(std::uint64_t connection_id) {
  std::lock_guard lock(mutex_);
  core_.connection_closed(connection_id);
}

void shared_core::wake_devices(const std::vector<std::int64_t>& devices) {
  std::vector<std::shared_ptr<poll_waiter>> to_wake;
  {
    std::lock_guard lock(mutex_);
    for (const auto key : devices) {
      const auto found = waiters_.find(key);
      if (found == waiters_.end()) continue;
      for (const auto& waiter : found->second)
        if (auto locked = waiter.lock()) to_wake.push_back(std::move(locked));
    }
  }
  for (const auto& waiter : to_wake) waiter->wake();
}

}  // namespace ads_sim
