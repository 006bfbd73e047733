// The radio world on its own: events in, URCs out, per the host's reporting settings.
#include <catch2/catch.hpp>

#include "agent/radio_world.hpp"

using agent::radio_world;
using agent::reg_domain;
using urcs = std::vector<std::string>;

namespace {

// A world with context 1 defined and its call up; `data_call` follows what the APCA service is told.
struct world_rig {
  bool data_call = false;
  radio_world world{[this](bool up) { data_call = up; }};
  world_rig() {
    REQUIRE(world.packet().define_context(1, "IP", "cmnet"));
    REQUIRE(world.packet().activate(1));
    REQUIRE(data_call);
  }
};

}  // namespace

TEST_CASE("world: registration URCs follow each domain's <n>") {
  world_rig r;
  // <n>=0 everywhere: no registration URC, only the call's end.
  REQUIRE(r.world.coverage_lost().urcs == urcs{"+CAPNET: 1,0"});
  REQUIRE_FALSE(r.data_call);
  r.world.set_report_mode(reg_domain::cs, 1);
  r.world.set_report_mode(reg_domain::eps, 2);
  REQUIRE(r.world.coverage_restored().urcs == urcs{"+CREG: 1", "+CEREG: 1,\"1816\",\"0C1B2A03\",7"});
  REQUIRE(r.world.coverage_lost().urcs == urcs{"+CREG: 2", "+CEREG: 2"});
  REQUIRE(r.world.coverage_lost().urcs.empty());  // no change, no URC
  r.world.coverage_restored();
  REQUIRE(r.world.set_registration(reg_domain::eps, 5).urcs == urcs{"+CEREG: 5,\"1816\",\"0C1B2A03\",7"});
  REQUIRE(r.world.set_registration(reg_domain::gprs, 3).urcs.empty());  // AT+CGREG=0
  REQUIRE(r.world.registration(reg_domain::gprs) == 3);
}

TEST_CASE("world: coverage loss drops the call with the network's URCs") {
  world_rig r;
  r.world.set_event_reports(1);
  REQUIRE(r.world.coverage_lost().urcs == urcs{"+CGEV: NW PDN DEACT 1", "+CAPNET: 1,0"});
  REQUIRE_FALSE(r.data_call);
  REQUIRE(r.world.rssi() == radio_world::signal_unknown);
}

TEST_CASE("world: the network drops one context") {
  world_rig r;
  REQUIRE(r.world.packet().define_context(2, "IP", "other"));
  REQUIRE(r.world.packet().activate(2));
  REQUIRE(r.world.data_call_drop(2).urcs == urcs{"+CAPNET: 2,0"});
  REQUIRE(r.data_call);  // context 1 still carries one
  REQUIRE(r.world.data_call_drop(std::nullopt).urcs == urcs{"+CAPNET: 1,0"});
  REQUIRE_FALSE(r.data_call);
}

TEST_CASE("world: SIM removed and inserted") {
  world_rig r;
  r.world.set_report_mode(reg_domain::eps, 1);
  REQUIRE(r.world.sim_removed().urcs ==
          urcs{"+CPIN: NOT READY", "+SIMCARD: NOT AVAILABLE", "+CEREG: 0", "+CAPNET: 1,0"});
  REQUIRE_FALSE(r.data_call);
  REQUIRE(r.world.sim_inserted().urcs == urcs{"+CPIN: READY", "SMS DONE", "PB DONE", "+CEREG: 1"});
  REQUIRE(r.world.sim_lock("4321").urcs == urcs{"+CPIN: SIM PIN", "+CEREG: 0"});
}

TEST_CASE("world: three wrong PINs ask for the PUK, which sets a new PIN") {
  radio_world world{nullptr};
  world.sim_lock("4321");
  agent::sim_card::outcome outcome{};
  auto enter = [&](std::string code, std::string new_pin = {}) {
    return world.sim_operation([&](agent::sim_card& sim) { return sim.enter(code, new_pin); }, outcome).urcs;
  };
  for (int i = 0; i < 3; ++i) {
    REQUIRE(enter("0000").empty());
    REQUIRE(outcome == agent::sim_card::outcome::wrong_password);
  }
  REQUIRE(world.sim().state() == agent::sim_card::status::puk_required);
  enter("4321");
  REQUIRE(outcome == agent::sim_card::outcome::puk_required);  // a PUK and a new PIN are asked now
  enter("87654321", "1111");
  REQUIRE(outcome == agent::sim_card::outcome::wrong_password);
  REQUIRE(world.sim().puk_tries_left() == 9);
  REQUIRE(enter("12345678", "1111") == urcs{"+CPIN: READY", "SMS DONE", "PB DONE"});
  REQUIRE(world.sim().pin_tries_left() == 3);
  REQUIRE(world.registered(reg_domain::eps));
}

TEST_CASE("world: network time sets the clock with AT+CTZU=1 and is reported with AT+CTZR=1") {
  radio_world world{nullptr};
  const std::int64_t now = 1700000000;
  REQUIRE(world.network_time(now + 60, 32, 0, now).urcs.empty());
  REQUIRE(world.clock_now(now) == now);  // AT+CTZU=0: the RTC keeps its time
  world.set_auto_time_zone(true);
  world.set_time_zone_reports(true);
  REQUIRE(world.network_time(1704067200, -20, 1, now).urcs ==
          urcs{"+CTZV: -20", "*PSUTTZ: 2024,1,1,0,0,0,\"-20\",1", "DST: 1"});
  REQUIRE(world.clock_now(now) == 1704067200);
  REQUIRE(world.time_zone() == -20);
}

TEST_CASE("world: supply voltage URCs, and a power down below the limit") {
  radio_world world{nullptr};
  REQUIRE(world.battery(3800).urcs.empty());
  REQUIRE(world.battery(3350).urcs == urcs{"UNDER-VOLTAGE WARNNING"});
  REQUIRE_FALSE(world.battery(3350).power_down);
  auto down = world.battery(3200);
  REQUIRE(down.urcs == urcs{"UNDER-VOLTAGE POWER DOWN"});
  REQUIRE(down.power_down);
  REQUIRE(world.battery(4350).urcs == urcs{"OVER-VOLTAGE WARNNING"});
  REQUIRE(world.battery_millivolts() == 4350);
}

TEST_CASE("world: a reboot keeps the SIM's lock and asks its PIN again") {
  radio_world world{nullptr};
  world.sim_lock("4321");
  agent::sim_card::outcome outcome{};
  world.sim_operation([](agent::sim_card& sim) { return sim.enter("4321", ""); }, outcome);
  REQUIRE(world.sim().ready());
  world.power_cycle();
  REQUIRE(world.boot_urcs() == urcs{"RDY", "+CPIN: SIM PIN"});
  world.sim_removed();
  world.power_cycle();
  REQUIRE(world.boot_urcs() == urcs{"RDY", "+SIMCARD: NOT AVAILABLE"});
}
