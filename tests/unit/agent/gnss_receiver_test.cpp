// The GNSS receiver at every phase, under a sky the test changes, one epoch at a time (its timer fired by hand).
#include <catch2/catch.hpp>

#include "agent/gnss_receiver.hpp"
#include "agent/gnss_sky.hpp"

using agent::gnss_receiver;
using agent::gnss_sky;
using agent::gnss_start;
using phase = agent::gnss_receiver::phase;

namespace {

constexpr std::int64_t t0 = 1'700'000'000;

// Runs epochs at t, t+1, ... until the receiver is fixed; the number of epochs that took.
int epochs_to_fix(gnss_receiver& receiver, const gnss_sky& sky, std::int64_t& t) {
  int epochs = 0;
  while (receiver.current_phase() != phase::fixed && epochs < 1000) {
    receiver.run_epoch(sky, t++);
    ++epochs;
  }
  return epochs;
}

}  // namespace

TEST_CASE("gnss receiver: off until started, and an epoch while off reports nothing") {
  gnss_receiver receiver;
  gnss_sky sky;
  CHECK(receiver.current_phase() == phase::off);
  CHECK_FALSE(receiver.run_epoch(sky, t0).fix);
  CHECK(receiver.last_report().satellites.empty());
}

TEST_CASE("gnss receiver: cold, warm and hot starts take their times to first fix") {
  gnss_sky sky;
  std::int64_t t = t0;
  for (auto [kind, seconds] : {std::pair{gnss_start::cold, gnss_receiver::cold_ttff.count()},
                               std::pair{gnss_start::warm, gnss_receiver::warm_ttff.count()},
                               std::pair{gnss_start::hot, gnss_receiver::hot_ttff.count()}}) {
    gnss_receiver receiver;
    receiver.start(kind, t);
    CHECK(receiver.current_phase() == phase::searching);
    CHECK(epochs_to_fix(receiver, sky, t) == seconds);
  }
  CHECK(gnss_receiver::cold_ttff > gnss_receiver::warm_ttff);
  CHECK(gnss_receiver::warm_ttff > gnss_receiver::hot_ttff);
}

TEST_CASE("gnss receiver: searching shows the satellites untracked, a fix uses eight of them at the antenna") {
  gnss_sky sky;
  gnss_receiver receiver;
  receiver.start(gnss_start::cold, t0);
  auto searching = receiver.run_epoch(sky, t0);
  CHECK_FALSE(searching.fix);
  REQUIRE(searching.satellites.size() == 10);
  CHECK_FALSE(searching.satellites[0].snr_dbhz);
  CHECK(searching.satellites_used() == 0);
  std::int64_t t = t0 + 1;
  epochs_to_fix(receiver, sky, t);
  const auto& fixed = receiver.last_report();
  REQUIRE(fixed.fix);
  CHECK(fixed.satellites_used() == 8);
  CHECK(fixed.fix->where.latitude == Approx(gnss_sky::default_position.latitude));
  CHECK(fixed.utc == t - 1);
}

TEST_CASE("gnss receiver: AT+CGPS=1 starts hot on young ephemeris, warm on an almanac, cold with nothing") {
  gnss_sky sky;
  gnss_receiver receiver;
  std::int64_t t = t0;
  receiver.start(std::nullopt, t);
  CHECK(receiver.started_as() == gnss_start::cold);
  epochs_to_fix(receiver, sky, t);
  receiver.stop();
  CHECK(receiver.current_phase() == phase::off);

  receiver.start(std::nullopt, t + 60);
  CHECK(receiver.started_as() == gnss_start::hot);
  receiver.stop();

  t += gnss_receiver::ephemeris_life.count();  // the ephemeris is too old now; the almanac is not
  receiver.start(std::nullopt, t);
  CHECK(receiver.started_as() == gnss_start::warm);
  CHECK(epochs_to_fix(receiver, sky, t) == gnss_receiver::warm_ttff.count());
  receiver.stop();

  receiver.start(gnss_start::cold, t);  // a cold start forgets everything: the next start is cold too
  receiver.stop();
  receiver.start(std::nullopt, t);
  CHECK(receiver.started_as() == gnss_start::cold);
}

TEST_CASE("gnss receiver: with no satellites the search never ends, the fix is lost and regained hot") {
  gnss_sky sky;
  gnss_receiver receiver;
  std::int64_t t = t0;
  sky.lose_satellites();
  receiver.start(gnss_start::hot, t);
  for (int i = 0; i < 100; ++i) receiver.run_epoch(sky, t++);
  CHECK(receiver.current_phase() == phase::searching);
  CHECK(receiver.last_report().satellites.empty());

  sky.stand_at({48.8584, 2.2945, 35});
  receiver.run_epoch(sky, t++);
  REQUIRE(receiver.current_phase() == phase::fixed);
  CHECK(receiver.last_report().fix->where.longitude == Approx(2.2945));

  sky.lose_satellites();
  receiver.run_epoch(sky, t++);
  CHECK(receiver.current_phase() == phase::searching);
  CHECK_FALSE(receiver.last_report().fix);

  sky.stand_at({48.8584, 2.2945, 35});
  CHECK(epochs_to_fix(receiver, sky, t) == gnss_receiver::hot_ttff.count());
}

TEST_CASE("gnss sky: a route is played from now, straight between points at each leg's speed and course") {
  gnss_sky sky;
  // Two legs: 0.01° of latitude north in 100 s (about 1112 m), then standing still for 100 s, then east.
  std::vector<agent::route_point> route{{5000, {10.00, 20.00, 0}},
                                        {5100, {10.01, 20.00, 100}},
                                        {5200, {10.01, 20.00, 100}},
                                        {5300, {10.01, 20.01, 100}}};
  sky.follow(route, t0);
  CHECK(sky.describe(t0) == "route");
  const auto half = sky.motion_at(t0 + 50);
  CHECK(half.where.latitude == Approx(10.005));
  CHECK(half.where.altitude == Approx(50));
  CHECK(half.speed_mps == Approx(11.12).epsilon(0.01));
  CHECK(half.course_deg == Approx(0).margin(0.01));
  CHECK(sky.motion_at(t0 + 150).speed_mps == 0);
  CHECK(sky.motion_at(t0 + 250).course_deg == Approx(90).margin(0.1));
  const auto end = sky.motion_at(t0 + 1000);
  CHECK(end.where.longitude == Approx(20.01));
  CHECK(end.speed_mps == 0);
  CHECK(sky.describe(t0 + 1000) == "route end");
  sky.lose_satellites();
  CHECK(sky.describe(t0) == "lost");
  CHECK(sky.motion_at(t0 + 50).where.latitude == Approx(10.005));  // the antenna moves on, unheard
}
