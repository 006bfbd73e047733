#pragma once
// core_queue: the connections' requests on their way to the core. The core's worker takes every request waiting
// (up to max_group) and handles them as one group, so their store changes are committed once (group commit) and
// the worker is woken once per group rather than once per request.
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "ads_sim/shared_core.hpp"
#include "ads_sim/worker_pool.hpp"

namespace ads_sim {

class core_queue {
 public:
  // A request's answer, called on the core's worker once the group's changes are stored.
  using answer = std::function<void(outcome)>;
  // At most this many requests in a group: a group's first request waits for the last one before it is answered.
  static constexpr std::size_t max_group = 32;

  // On an engine that commits call by call (PostgreSQL), a group is one request: a group would only hold back the
  // answers of changes stored already, widening the window in which a killed replica leaves a stored request
  // unanswered (and its client sends it again).
  core_queue(shared_core& core, worker_pool& worker)
      : core_(core), worker_(worker), group_limit_(core.commits_in_groups() ? max_group : 1) {}

  // Queues a request; false once the worker or the queue has stopped (the service is closing: no answer will come).
  bool submit(http_request request, answer done);
  // After the worker has stopped: drops the requests still waiting (their answers hold their connections, which hold
  // the service's context and so this queue) and refuses the next ones.
  void stop();
  // Groups handled so far, and the requests in them (for tests and benchmarks).
  std::size_t groups_handled() const;
  std::size_t requests_handled() const;

 private:
  struct waiting_request {
    http_request request;
    answer done;
  };

  void handle_waiting();  // on the worker

  shared_core& core_;
  worker_pool& worker_;
  const std::size_t group_limit_;
  mutable std::mutex mutex_;
  std::vector<waiting_request> waiting_;
  bool scheduled_ = false;  // a handle_waiting() is queued on the worker or running
  bool stopped_ = false;
  std::size_t groups_ = 0;
  std::size_t requests_ = 0;
};

}  // namespace ads_sim
