#pragma once
// An apca::service on the shared fakes (tests/support/), used by the service tests and the AT+ADA table tests:
// timers and saves complete only when the test says so, URCs are recorded.
#include "apca/service.hpp"
#include "tests/support/fake_ports.hpp"

namespace apca_test {

struct service_rig {
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  test_support::recorded_urcs urcs;
  test_support::fake_nv nv;
  apca::service service;

  int reboots = 0;

  explicit service_rig(config_store::nv_image image = {}, apca::cloud_port* cloud = nullptr)
      : service(apca::service_ports{timers, clock, urcs, nv, cloud, [this] { ++reboots; }}, std::move(image)) {}
};

}  // namespace apca_test
