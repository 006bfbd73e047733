// GET /healthz (SPEC §10): 200 {"status":"ok"} when the store's database answers and its schema is the one this
// binary migrates to; 503 with the reason otherwise — what a load balancer or a Kubernetes probe asks.
#include "ads_sim/router.hpp"
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim {

namespace {

reply get_healthz(request_context& c) {
  if (auto problem = c.storage().health_problem())
    return json_response(503, nlohmann::json{{"status", "unavailable"}, {"reason", *problem}});
  return json_response(200, nlohmann::json{{"status", "ok"}});
}

}  // namespace

void health_routes(router& r) {
  static constexpr route routes[] = {
      {"GET", "/healthz", audience::anyone, &get_healthz},
  };
  r.add(routes);
}

}  // namespace ads_sim
