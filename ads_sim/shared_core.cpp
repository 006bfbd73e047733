#include "ads_sim/shared_core.hpp"

namespace ads_sim {

shared_core::shared_core(const database_url& database, std::string admin_token)
    : core_(database, std::move(admin_token)) {}

outcome shared_core::handle(const http_request& request, clock_time now, prepared_inputs prepared) {
  return with_core([&](service_core& core) { return core.handle(request, now, std::move(prepared)); });
}

void shared_core::connection_closed(std::uint64_t connection_id) {
  std::lock_guard lock(mutex_);
  core_.connection_closed(connection_id);
}

}  // namespace ads_sim
