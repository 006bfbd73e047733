#include "ads_sim/shared_core.hpp"

namespace ads_sim {

shared_core::shared_core(const database_url& database, std::string admin_token)
    : core_(database, std::move(admin_token)) {}

shared_core::shared_core(std::unique_ptr<store> storage, std::string admin_token)
    : core_(std::move(storage), std::move(admin_token)) {}

outcome shared_core::handle(const http_request& request, clock_time now, prepared_inputs prepared) {
  return with_core([&](service_core& core) { return core.handle(request, now, std::move(prepared)); });
}

namespace {

// A lost group's answers: a response becomes 500 (PROTOCOL.md §0: the database failed, never the request). Work
// still to do (keys, a password) and dropped or upgraded connections stay what they were: the request is handled
// again, alone, or had nothing to store.
void mark_not_stored(std::vector<outcome>& outcomes, std::size_t from) {
  for (std::size_t i = from; i < outcomes.size(); ++i)
    if (std::holds_alternative<http_response>(outcomes[i]))
      outcomes[i] = error_response(500, "the database failed: nothing of this request was stored, send it again");
}

}  // namespace

bool shared_core::commits_in_groups() {
  std::lock_guard lock(mutex_);
  return core_.ok() && core_.storage().commits_in_groups();
}

std::vector<outcome> shared_core::handle_group(const std::vector<http_request>& requests,
                                               const std::function<clock_time()>& now) {
  return with_core([&](service_core& core) {
    std::vector<outcome> outcomes;
    outcomes.reserve(requests.size());
    auto& storage = core.storage();
    std::size_t group_start = 0;
    storage.begin_group();
    for (const auto& request : requests) {
      try {
        outcomes.push_back(core.handle(request, now()));
      } catch (...) {
        storage.abandon_group();  // the next group must not commit half of a request
        throw;
      }
      if (!storage.group_lost()) continue;
      storage.end_group();
      mark_not_stored(outcomes, group_start);
      group_start = outcomes.size();
      storage.begin_group();
    }
    if (!storage.end_group()) mark_not_stored(outcomes, group_start);
    return outcomes;
  });
}

void shared_core::connection_closed(std::uint64_t connection_id) {
  std::lock_guard lock(mutex_);
  core_.connection_closed(connection_id);
}

}  // namespace ads_sim
