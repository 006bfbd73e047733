// When fleets and scripts make an admin call again: only when no replica answered, backing off, within a budget.
#include <catch2/catch.hpp>

#include "ads_admin/admin_retry.hpp"

using namespace ads_admin;
using std::chrono::milliseconds;

namespace {
admin_reply answered(int status) {
  admin_reply reply;
  reply.status = status;
  return reply;
}
admin_reply cut(const std::string& what) {
  admin_reply reply;
  reply.transport_error = what;
  return reply;
}
}  // namespace

TEST_CASE("an answer of the service is final, whatever its status", "[admin][retry]") {
  for (int status : {200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500})
    CHECK_FALSE(retry_delay(answered(status), 1, milliseconds(0)).has_value());
}

TEST_CASE("no answer, or the balancer's, is tried again with a doubling delay up to the longest", "[admin][retry]") {
  const retry_policy policy{milliseconds(250), milliseconds(1000), milliseconds(30000)};
  CHECK(retry_delay(cut("handshake: stream truncated"), 1, milliseconds(5), policy) == milliseconds(250));
  CHECK(retry_delay(cut("connect: Connection refused"), 2, milliseconds(300), policy) == milliseconds(500));
  CHECK(retry_delay(answered(503), 3, milliseconds(900), policy) == milliseconds(1000));
  CHECK(retry_delay(answered(502), 9, milliseconds(9000), policy) == milliseconds(1000));
  CHECK(retry_delay(answered(504), 60, milliseconds(20000), policy) == milliseconds(1000));
}

TEST_CASE("a failure is final once the next try would end past the budget", "[admin][retry]") {
  const retry_policy policy{milliseconds(250), milliseconds(4000), milliseconds(10000)};
  CHECK(retry_delay(cut("read: end of stream"), 4, milliseconds(5999), policy) == milliseconds(2000));
  CHECK_FALSE(retry_delay(cut("read: end of stream"), 5, milliseconds(6000), policy).has_value());
}
