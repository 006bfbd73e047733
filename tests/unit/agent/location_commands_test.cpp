// AT+CLBS: the serving cell's position from the radio world, its forms and its error.
#include <catch2/catch.hpp>

#include "agent/module_core.hpp"
#include "agent/radio_world.hpp"
#include "agent_test_support.hpp"
#include "module_test_rig.hpp"

namespace {

// A booted module, echo off, with context 1 defined and, when `dial`, its data call up.
std::unique_ptr<agent_test::module_rig> located_rig(bool dial) {
  auto rig = agent_test::module_rig::booted();
  REQUIRE(rig->feed("ATE0\r") == "ATE0\r\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGDCONT=1,\"IP\",\"internet\"\r") == "\r\nOK\r\n");
  if (dial) REQUIRE(rig->feed("AT+CGACT=1,1\r") == "\r\nOK\r\n");
  return rig;
}

}  // namespace

TEST_CASE("location: AT+CLBS answers the serving cell's position, with the date and time for type 4") {
  auto rig = located_rig(true);
  CHECK(rig->feed("AT+CLBS=?\r") == "\r\n+CLBS: (1,4),(1-24)\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CLBS=1,1\r") == "\r\n+CLBS: 0,31.230416,121.473701,550\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CLBS=4,1\r") == "\r\n+CLBS: 0,31.230416,121.473701,550,2023/11/14,22:13:20\r\n\r\nOK\r\n");
  rig->module.world_event([](agent::radio_world& w) { return w.move_cell({-33.856784, 151.215297, 120}); });
  CHECK(rig->module.take_output().empty());  // the location service has no URC
  CHECK(rig->feed("AT+CLBS=1,1\r") == "\r\n+CLBS: 0,-33.856784,151.215297,120\r\n\r\nOK\r\n");
  // The time is the network's: a skewed module clock does not change it.
  rig->module.world_event([](agent::radio_world& w) { return w.clock_skew(3600); });
  rig->clock.now += 5;
  CHECK(rig->feed("AT+CLBS=4,1\r") == "\r\n+CLBS: 0,-33.856784,151.215297,120,2023/11/14,22:13:25\r\n\r\nOK\r\n");
}

TEST_CASE("location: without a data call on <cid> the answer is the network error") {
  auto rig = located_rig(false);
  CHECK(rig->feed("AT+CLBS=1,1\r") == "\r\n+CLBS: 3\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CLBS=4,1\r") == "\r\n+CLBS: 3\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGACT=1,1\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CLBS=1,2\r") == "\r\n+CLBS: 3\r\n\r\nOK\r\n");  // context 2 is not up
  CHECK(rig->feed("AT+CLBS=1,1\r").starts_with("\r\n+CLBS: 0,"));
  rig->module.world_event([](agent::radio_world& w) { return w.data_call_drop(1); });
  rig->module.take_output();
  CHECK(rig->feed("AT+CLBS=1,1\r") == "\r\n+CLBS: 3\r\n\r\nOK\r\n");
}

TEST_CASE("location: forms and arguments AT+CLBS does not take answer ERROR") {
  auto rig = located_rig(true);
  for (const char* bad : {"AT+CLBS\r", "AT+CLBS?\r", "AT+CLBS=1\r", "AT+CLBS=2,1\r", "AT+CLBS=3,1\r",
                          "AT+CLBS=9,1\r", "AT+CLBS=1,0\r", "AT+CLBS=1,25\r", "AT+CLBS=1,1,121.0,31.0\r",
                          "AT+CLBS=\"1\",1\r"}) {
    INFO(bad);
    CHECK(rig->feed(bad) == "\r\nERROR\r\n");
  }
  CHECK(rig->feed("AT+CMEE=2;+CLBS=5,1\r") == "\r\nERROR\r\n");  // an invalid parameter, not an equipment error
  CHECK(rig->feed("AT\r") == "\r\nOK\r\n");
}

TEST_CASE("location: the AT+CLBS line gives the same answer split at every offset") {
  const std::string input = "AT+CLBS=4,1\rAT+CLBS=1,1\r";
  agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    auto rig = located_rig(true);
    std::string out;
    for (auto piece : pieces) out += rig->feed(piece);
    return out;
  });
}
