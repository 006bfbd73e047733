#include "ads_sim/core_queue.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>

namespace ads_sim {

bool core_queue::submit(http_request request, answer done) {
  std::lock_guard lock(mutex_);
  if (stopped_) return false;
  waiting_.push_back({std::move(request), std::move(done)});
  if (scheduled_) return true;  // the queued or running handle_waiting() takes it
  scheduled_ = worker_.submit([this] { handle_waiting(); });
  if (!scheduled_) waiting_.clear();
  return scheduled_;
}

void core_queue::handle_waiting() {
  std::vector<waiting_request> group;
  {
    std::lock_guard lock(mutex_);
    const auto count = std::min(waiting_.size(), group_limit_);
    group.assign(std::make_move_iterator(waiting_.begin()), std::make_move_iterator(waiting_.begin() + count));
    waiting_.erase(waiting_.begin(), waiting_.begin() + count);
    if (group.empty()) {  // stopped meanwhile: what waited was dropped
      scheduled_ = false;
      return;
    }
  }
  std::vector<http_request> requests;
  requests.reserve(group.size());
  for (auto& waiting : group) requests.push_back(std::move(waiting.request));
  auto outcomes = core_.handle_group(requests, [] { return std::chrono::system_clock::now(); });
  {
    // Counted before any answer goes, so whoever reads an answer sees its group counted. What arrived meanwhile is
    // handled after whatever else the worker has queued (the notifier's calls), not before; what arrives from here
    // on schedules itself.
    std::lock_guard lock(mutex_);
    ++groups_;
    requests_ += group.size();
    scheduled_ = !waiting_.empty() && worker_.submit([this] { handle_waiting(); });
    if (!scheduled_) waiting_.clear();
  }
  for (std::size_t i = 0; i < group.size(); ++i) group[i].done(std::move(outcomes[i]));
}

void core_queue::stop() {
  std::vector<waiting_request> dropped;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    dropped.swap(waiting_);
  }
}  // the dropped answers go here, outside the lock: a connection they release may be the last one

std::size_t core_queue::groups_handled() const {
  std::lock_guard lock(mutex_);
  return groups_;
}

std::size_t core_queue::requests_handled() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

}  // namespace ads_sim
