// Admin calls through a load balancer whose rotation holds a replica dying under every call (HAProxy passes the TCP
// connection, the replica closes it before TLS): call_retrying, which fleets use to start their campaigns, gets the
// live replica's answer; a single call gets the cut.
#include <catch2/catch.hpp>

#include "ads_admin/admin_session.hpp"
#include "harness/haproxy_proxy.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {
ads_admin::service_endpoint through(const haproxy_proxy& proxy, const device_service& service) {
  return {{"127.0.0.1", proxy.port()}, service.ca_file(), device_service::admin_token()};
}
}  // namespace

TEST_CASE("admin calls: a replica dying under a call is left for a live one, a single call sees the cut",
          "[e2e][admin][haproxy]") {
  device_service service;
  haproxy_proxy proxy(replicas_of({&service}), rotation::replicas_and_a_dying_one);
  // HAProxy's round robin alternates new connections between the two servers, and a session's first call opens
  // one: of two fresh sessions, one meets the dying server first.
  int retried = 0;
  for (int session = 0; session < 4; ++session) {
    ads_admin::admin_session admin(through(proxy, service));
    const auto reply = admin.call_retrying("GET", "/oems", std::nullopt);
    INFO("session " << session << ": " << reply.status << " " << reply.failure_reason());
    CHECK(reply.status == 200);
    retried += reply.attempts > 1 ? 1 : 0;
  }
  CHECK(retried >= 1);

  int cut = 0;
  for (int session = 0; session < 4; ++session) {
    ads_admin::admin_session admin(through(proxy, service));
    const auto reply = admin.call("GET", "/oems", std::nullopt);
    if (reply.status == 0) ++cut;
  }
  CHECK(cut >= 1);
}
