// The SIM7600's GPS commands byte for byte through the module, its NMEA port, and the sky's changes as the host sees
// them; the receiver's one-second timer is fired by hand.
#include <catch2/catch.hpp>

#include "agent/gnss_service.hpp"
#include "agent/nmea.hpp"
#include "agent/radio_world.hpp"
#include "module_test_rig.hpp"

using agent_test::error;
using agent_test::just_ok;
using agent_test::ok;
using agent_test::module_rig;
using apca::timer_id;

namespace {

// The fake clock's 2023-11-14 22:13:20 UTC at the default antenna position, standing.
constexpr const char* fixed_cgpsinfo = "+CGPSINFO: 3113.343286,N,12121.234064,E,141123,221320.0,44.1,0.0,";
constexpr const char* fixed_cgnssinfo =
    "+CGNSSINFO: 3,08,00,00,3113.343286,N,12121.234064,E,141123,221320.0,44.1,0.0,,1.2,0.9,0.8";

bool ticking(const module_rig& rig) { return rig.timers.armed.count(timer_id::gnss) == 1; }

// Fires the receiver's epochs until `fixed`, one second apart on the clock; what the AT port printed meanwhile.
std::string run_until_fixed(module_rig& rig) {
  std::string printed;
  for (int i = 0; i < 100 && rig.module.gnss().receiver().current_phase() != agent::gnss_receiver::phase::fixed; ++i) {
    printed += rig.fire(timer_id::gnss);
  }
  REQUIRE(rig.module.gnss().receiver().current_phase() == agent::gnss_receiver::phase::fixed);
  return printed;
}

}  // namespace

TEST_CASE("gnss: AT+CGPS starts and stops a session, starting twice or stopping twice is an error") {
  auto rig = module_rig::quiet();
  CHECK_FALSE(ticking(*rig));  // no session, no timer
  CHECK(rig->feed("AT+CGPS=?\r") == ok("+CGPS: (0,1),(1-3)"));
  CHECK(rig->feed("AT+CGPS?\r") == ok("+CGPS: 0,1"));
  CHECK(rig->feed("AT+CGPS=0\r") == error);
  CHECK(rig->feed("AT+CGPS=1,2\r") == just_ok);
  CHECK(rig->timers.armed.at(timer_id::gnss) == std::chrono::seconds(1));
  CHECK(rig->feed("AT+CGPS?\r") == ok("+CGPS: 1,2"));
  CHECK(rig->feed("AT+CGPS=1\r") == error);
  CHECK(rig->feed("AT+CGPSCOLD\r") == error);
  CHECK(rig->feed("AT+CGPSHOT\r") == error);
  // The stop's OK comes first, then the session's end.
  CHECK(rig->feed("AT+CGPS=0\r") == "\r\nOK\r\n\r\n+CGPS: 0\r\n");
  CHECK_FALSE(ticking(*rig));
  CHECK(rig->feed("AT+CGPS?\r") == ok("+CGPS: 0,2"));
}

TEST_CASE("gnss: AT+CGPSINFO and AT+CGNSSINFO are empty until the first fix, then give the antenna's position") {
  auto rig = module_rig::quiet();
  CHECK(rig->feed("AT+CGPSINFO\r") == ok("+CGPSINFO: ,,,,,,,,"));
  CHECK(rig->feed("AT+CGPS=1\r") == just_ok);  // nothing remembered: a cold start
  CHECK(rig->fire(timer_id::gnss).empty());
  CHECK(rig->feed("AT+CGNSSINFO\r") == ok("+CGNSSINFO: ,,,,,,,,,,,,,,,"));
  for (int i = 1; i < agent::gnss_receiver::cold_ttff.count() - 1; ++i) rig->fire(timer_id::gnss);
  CHECK(rig->feed("AT+CGPSINFO\r") == ok("+CGPSINFO: ,,,,,,,,"));
  rig->fire(timer_id::gnss);  // the 35th second
  CHECK(rig->feed("AT+CGPSINFO\r") == ok(fixed_cgpsinfo));
  CHECK(rig->feed("AT+CGNSSINFO\r") == ok(fixed_cgnssinfo));
}

TEST_CASE("gnss: cold, warm and hot starts, each only without a session") {
  auto rig = module_rig::quiet();
  CHECK(rig->feed("AT+CGPSHOT=?\r") == just_ok);
  CHECK(rig->feed("AT+CGPSWARM\r") == just_ok);
  CHECK(rig->feed("AT+CGPS?\r") == ok("+CGPS: 1,1"));
  CHECK(rig->module.gnss().receiver().seconds_to_fix() == agent::gnss_receiver::warm_ttff.count());
  CHECK(rig->feed("AT+CGPS=0\r") == "\r\nOK\r\n\r\n+CGPS: 0\r\n");
  CHECK(rig->feed("AT+CGPSHOT\r") == just_ok);
  rig->fire(timer_id::gnss);
  CHECK(rig->feed("AT+CGPSINFO\r") == ok(fixed_cgpsinfo));
  CHECK(rig->feed("AT+CGPS=0;+CGPSCOLD\r") == "\r\nOK\r\n\r\n+CGPS: 0\r\n");
  CHECK(rig->module.gnss().receiver().seconds_to_fix() == agent::gnss_receiver::cold_ttff.count());
}

TEST_CASE("gnss: bad parameters and forms the manual does not list answer ERROR, and the port still answers") {
  auto rig = module_rig::quiet();
  for (const char* line : {"AT+CGPS=2\r", "AT+CGPS=1,4\r", "AT+CGPS=1,0\r", "AT+CGPS=\"1\"\r", "AT+CGPS=1,1,1\r",
                           "AT+CGPS=\r", "AT+CGPS\r", "AT+CGPSCOLD=1\r", "AT+CGPSCOLD?\r", "AT+CGPSWARM=0\r",
                           "AT+CGPSINFO=256\r", "AT+CGPSINFO=-1\r", "AT+CGPSINFO=x\r", "AT+CGNSSINFO=1,1\r",
                           "AT+CGPSNMEA=262144\r", "AT+CGPSNMEA\r", "AT+CGPSINFOCFG=1,262144\r", "AT+CGPSINFOCFG=256\r",
                           "AT+CGPSINFOCFG\r"}) {
    INFO(line);
    CHECK(rig->feed(line) == error);
  }
  CHECK(rig->feed("AT+CGPS?\r") == ok("+CGPS: 0,1"));
  CHECK_FALSE(ticking(*rig));
  CHECK(rig->feed("AT\r") == just_ok);
}

TEST_CASE("gnss: the settings' test and read forms") {
  auto rig = module_rig::quiet();
  CHECK(rig->feed("AT+CGPSINFO=?\r") == ok("+CGPSINFO: (0-255)"));
  CHECK(rig->feed("AT+CGNSSINFO=?\r") == ok("+CGNSSINFO: (0-255)"));
  CHECK(rig->feed("AT+CGPSNMEA=?\r") == ok("+CGPSNMEA: (0-262143)"));
  CHECK(rig->feed("AT+CGPSINFOCFG=?\r") == ok("+CGPSINFOCFG: (0-255),(0-262143)"));
  CHECK(rig->feed("AT+CGPSNMEA?\r") == ok("+CGPSNMEA: 262143"));
  CHECK(rig->feed("AT+CGPSNMEA=3\r") == just_ok);
  CHECK(rig->feed("AT+CGPSNMEA?\r") == ok("+CGPSNMEA: 3"));
  CHECK(rig->feed("AT+CGPSINFOCFG?\r") == ok("+CGPSINFOCFG: 0,31"));
  CHECK(rig->feed("AT+CGPSINFOCFG=5\r") == just_ok);
  CHECK(rig->feed("AT+CGPSINFOCFG?\r") == ok("+CGPSINFOCFG: 5,31"));
  CHECK(rig->feed("AT+CGPSINFO=10\r") == just_ok);
  CHECK(rig->feed("AT+CGPSINFO?\r") == ok("+CGPSINFO: 10"));
}

TEST_CASE("gnss: periodic +CGPSINFO / +CGNSSINFO reports and NMEA on the AT port, only while a session runs") {
  auto rig = module_rig::quiet();
  CHECK(rig->feed("AT+CGPSINFO=2;+CGNSSINFO=3;+CGPSINFOCFG=1,1\r") == just_ok);
  CHECK(rig->feed("AT+CGPSHOT\r") == just_ok);
  const std::string gga =
      agent::nmea_sentence("GPGGA,221320.00,3113.343286,N,12121.234064,E,1,08,0.9,44.1,M,0.0,M,,");
  CHECK(rig->fire(timer_id::gnss) == "\r\n" + gga);
  CHECK(rig->fire(timer_id::gnss) == "\r\n" + std::string(fixed_cgpsinfo) + "\r\n\r\n" + gga);
  CHECK(rig->fire(timer_id::gnss) == "\r\n" + std::string(fixed_cgnssinfo) + "\r\n\r\n" + gga);
  CHECK(rig->feed("AT+CGPS=0\r") == "\r\nOK\r\n\r\n+CGPS: 0\r\n");
  CHECK_FALSE(ticking(*rig));
}

TEST_CASE("gnss: the NMEA port gets each epoch's sentences per AT+CGPSNMEA, and nothing without a session") {
  auto rig = module_rig::quiet();
  CHECK(rig->module.take_nmea_output().empty());
  CHECK(rig->feed("AT+CGPS=1\r") == just_ok);
  rig->fire(timer_id::gnss);
  CHECK(rig->module.take_nmea_output() ==
        "$GPGGA,,,,,,0,,,,,,,,*66\r\n$GPRMC,,V,,,,,,,,,,N*53\r\n"
        "$GPGSV,3,1,10,12,71,155,,02,62,312,,25,55,020,,05,48,060,*72\r\n"
        "$GPGSV,3,2,10,15,40,110,,06,35,245,,19,28,200,,13,22,290,*73\r\n"
        "$GPGSV,3,3,10,17,15,020,,24,09,330,*77\r\n"
        "$GPGSA,A,1,,,,,,,,,,,,,,,*1E\r\n$GPVTG,,,,,,,,,N*30\r\n");
  CHECK(rig->feed("AT+CGPSNMEA=2\r") == just_ok);
  run_until_fixed(*rig);
  rig->module.take_nmea_output();
  rig->fire(timer_id::gnss);
  CHECK(rig->module.take_nmea_output() ==
        agent::nmea_sentence("GPRMC,221320.00,A,3113.343286,N,12121.234064,E,0.0,,141123,,,A"));
  CHECK(rig->feed("AT+CGPS=0\r") == "\r\nOK\r\n\r\n+CGPS: 0\r\n");
  CHECK(rig->module.take_nmea_output().empty());
}

TEST_CASE("gnss: the sky's satellites lost and back: the fix goes and returns after a hot start's time") {
  auto rig = module_rig::quiet();
  CHECK(rig->feed("AT+CGPSHOT\r") == just_ok);
  rig->fire(timer_id::gnss);
  CHECK(rig->feed("AT+CGPSINFO\r") == ok(fixed_cgpsinfo));
  rig->module.world_event([](agent::radio_world& world) {
    world.sky().lose_satellites();
    return agent::world_effects{};
  });
  CHECK(rig->fire(timer_id::gnss).empty());  // no URC: the host sees it in what it asks for
  CHECK(rig->feed("AT+CGPSINFO\r") == ok("+CGPSINFO: ,,,,,,,,"));
  CHECK(ticking(*rig));  // still searching
  rig->module.world_event([](agent::radio_world& world) {
    world.sky().stand_at({-33.8568, 151.2153, 5});
    return agent::world_effects{};
  });
  rig->fire(timer_id::gnss);
  CHECK(rig->feed("AT+CGPSINFO\r") == ok("+CGPSINFO: 3351.408000,S,15112.918000,E,141123,221320.0,5.0,0.0,"));
}

TEST_CASE("gnss: a moving antenna reports speed in knots and its course") {
  auto rig = module_rig::quiet();
  rig->module.world_event([now = rig->clock.now](agent::radio_world& world) {
    // 0.01° east along the equator (1112 m) in 100 s: 11.1 m/s, 21.6 knots, course 90.
    world.sky().follow({{0, {0, 10, 0}}, {100, {0, 10.01, 0}}}, static_cast<double>(now));
    return agent::world_effects{};
  });
  CHECK(rig->feed("AT+CGPSHOT\r") == just_ok);
  rig->clock.now += 50;
  rig->fire(timer_id::gnss);
  CHECK(rig->feed("AT+CGPSINFO\r") == ok("+CGPSINFO: 0000.000000,N,01000.300000,E,141123,221410.0,0.0,21.6,90.0"));
}

TEST_CASE("gnss: a reboot ends the session silently and its timer with it, the next AT+CGPS=1 starts hot") {
  auto rig = module_rig::quiet();
  CHECK(rig->feed("AT+CGPSINFO=1;+CGPS=1\r") == just_ok);
  run_until_fixed(*rig);
  CHECK(rig->feed("AT+CRESET\r") == just_ok);
  CHECK_FALSE(ticking(*rig));
  REQUIRE(rig->fire(timer_id::boot) == agent_test::boot_banner);
  CHECK(rig->module.take_nmea_output().empty());
  CHECK(rig->feed("AT+CGPS?\r") == "AT+CGPS?\r" + ok("+CGPS: 0,1"));
  CHECK(rig->feed("AT+CGPSINFO?\r") == "AT+CGPSINFO?\r" + ok("+CGPSINFO: 0"));
  CHECK(rig->feed("AT+CGPS=1\r") == "AT+CGPS=1\r\r\nOK\r\n");
  CHECK(rig->module.gnss().receiver().started_as() == agent::gnss_start::hot);
}
