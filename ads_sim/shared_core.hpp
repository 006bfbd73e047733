#pragma once
// shared_core: the one service_core that every connection and the in-process API use, serialised by a mutex; a
// change to a device's queue is passed on (unlocked) to the change listener, the ANS notifier.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ads_sim/service_core.hpp"

namespace ads_sim {

class shared_core {
 public:
  shared_core(const database_url& database, std::string admin_token);
  shared_core(std::unique_ptr<store> storage, std::string admin_token);

  bool ok() const { return core_.ok(); }
  const std::string& error() const { return core_.error(); }

  // Runs `work(core)` under the lock, then tells the change listener of devices whose queue changed.
  template <typename Work>
  auto with_core(Work work) {
    std::vector<std::int64_t> changed;
    auto result = [&] {
      std::lock_guard lock(mutex_);
      auto answer = work(core_);
      changed = core_.take_woken_devices();
      return answer;
    }();
    if (change_listener_)
      for (const auto key : changed) change_listener_(key);
    return result;
  }

  // Handles a connection's request.
  outcome handle(const http_request& request, clock_time now, prepared_inputs prepared = {});
  // Handles requests one after another in one store group (group commit), each at the time `now()` gives then; an
  // answer is returned only once the changes it reports are stored. What a lost group's requests answered becomes
  // 500: their changes are not stored, and the client sends them again.
  // Whether the store commits a group's changes together (else each call commits by itself, at once).
  bool commits_in_groups();
  std::vector<outcome> handle_group(const std::vector<http_request>& requests,
                                    const std::function<clock_time()>& now);
  void connection_closed(std::uint64_t connection_id);
  // Told of every device whose queue changed (the ANS notifier). Set before serving; called unlocked.
  void set_change_listener(std::function<void(std::int64_t device_key)> listener) {
    change_listener_ = std::move(listener);
  }

 private:
  std::mutex mutex_;
  service_core core_;
  std::function<void(std::int64_t)> change_listener_;
};

}  // namespace ads_sim
