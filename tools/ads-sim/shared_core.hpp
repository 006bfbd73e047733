#pragma once
// shared_core: the one service_core that every connection and the in-process API use, serialised by a mutex, and
// the long polls parked on it, so that a change to a device's queue wakes that device's held request.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tools/ads-sim/service_core.hpp"

namespace ads_sim {

// Whoever holds a parked long poll; told (from any thread) when the device's queue changed.
class poll_waiter {
 public:
  virtual ~poll_waiter() = default;
  virtual void wake() = 0;
};

class shared_core {
 public:
  shared_core(const std::filesystem::path& database_file, std::string admin_token);

  bool ok() const { return core_.ok(); }
  const std::string& error() const { return core_.error(); }

  // Runs `work(core)` under the lock, then wakes the parked polls of devices whose queue changed.
  template <typename Work>
  auto with_core(Work work) {
    std::vector<std::int64_t> woken;
    auto result = [&] {
      std::lock_guard lock(mutex_);
      auto answer = work(core_);
      woken = core_.take_woken_devices();
      return answer;
    }();
    wake_devices(woken);
    return result;
  }

  // Handles a connection's request. A hold is registered for `waiter` under the same lock as the core's check of
  // the queue, so no change can slip between them.
  outcome handle(const http_request& request, clock_time now, bool may_hold, std::weak_ptr<poll_waiter> waiter);
  // Ends a park: the device no longer listens on this connection and `waiter` leaves the list. Idempotent.
  void unpark(std::uint64_t connection_id, std::int64_t device_key, const std::weak_ptr<poll_waiter>& waiter);
  void connection_closed(std::uint64_t connection_id);

 private:
  void wake_devices(const std::vector<std::int64_t>& devices);

  // Never held while a waiter's last reference could drop: a waiter's destructor reports to the core.
  std::mutex mutex_;
  service_core core_;
  std::map<std::int64_t, std::vector<std::weak_ptr<poll_waiter>>> waiters_;  // parked polls by device key
};

}  // namespace ads_sim
