// Voice calls and USSD through the module's AT port, byte for byte: ATD/ATA/ATH/AT+CHUP/AT+CLCC/AT+VTS/AT+CVHU,
// RING and +CLIP, AT+CUSD with the network's replies and menus; the network's side as the control API drives it.
// Timers fire at once.
#include <catch2/catch.hpp>

#include "agent/radio_world.hpp"
#include "agent/voice_call.hpp"
#include "module_test_rig.hpp"

using agent::call_event;
using agent::call_phase;
using agent::radio_world;
using agent::world_effects;
using agent_test::error;
using agent_test::just_ok;
using agent_test::ok;
using agent_test::module_rig;
using agent_test::urc;
using apca::timer_id;

namespace {

// The network's side, as the control API's `call ...` runs it; what the host sees.
std::string network(module_rig& rig, call_event event, const std::string& number = {}) {
  REQUIRE(rig.module.call_event_from_network(event, number));
  return rig.module.take_output();
}

void world(module_rig& rig, const std::function<world_effects(radio_world&)>& event) { rig.module.world_event(event); }

}  // namespace

TEST_CASE("calls: ATD dials a voice call, the far end answers, DTMF, then ATH ends it with its duration") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  REQUIRE(rig->feed("AT+CLCC=?;+CLCC?;+CVHU=?;+CVHU?\r") ==
          "\r\n+CLCC: (0-1)\r\n\r\n+CLCC: 0\r\n\r\n+CVHU: (0-1)\r\n\r\n+CVHU: 0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CLCC\r") == just_ok);  // no call: an empty list
  REQUIRE(rig->feed("ATD10086;\r") == just_ok);
  CHECK(rig->timers.armed.at(timer_id::voice_call) == agent::voice_call::no_answer_time);
  REQUIRE(rig->feed("AT+CLCC\r") == ok("+CLCC: 1,0,3,0,0,\"10086\",129"));
  REQUIRE(rig->feed("ATD10010;\r") == "\r\n+CME ERROR: 3\r\n");  // one call at a time
  REQUIRE(rig->feed("AT+VTS=1\r") == "\r\n+CME ERROR: 3\r\n");   // tones only once the call is up
  REQUIRE(network(*rig, call_event::far_end_answers) == urc("VOICE CALL: BEGIN"));
  CHECK(rig->timers.armed.count(timer_id::voice_call) == 0);  // no timer while a call is up
  REQUIRE(rig->feed("AT+VTS=5;+VTS=\"12#*ABCD\"\r") == just_ok);
  REQUIRE(rig->feed("AT+VTS=\"1E\"\r") == error);
  REQUIRE(rig->feed("AT+VTS=\"\"\r") == error);
  REQUIRE(rig->feed("AT+VTS=?\r") == ok("+VTS: (0-9,*,#,A,B,C,D)"));
  CHECK(rig->module.call().tones() == "512#*ABCD");
  REQUIRE(rig->feed("AT+CVHU=1;H\r") == just_ok);  // AT+CVHU=1: ATH leaves a voice call alone
  REQUIRE(rig->feed("AT+CLCC\r") == ok("+CLCC: 1,0,0,0,0,\"10086\",129"));
  rig->clock.now += 65;
  REQUIRE(rig->feed("AT+CVHU=0;H0\r") == "\r\nOK\r\n\r\nVOICE CALL: END: 000105\r\n");
  REQUIRE(rig->feed("AT+CLCC\r") == just_ok);
  REQUIRE(rig->feed("ATH1\r") == error);
}

TEST_CASE("calls: dial strings — modifiers, international numbers, ATDL, and what is not a voice call") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  REQUIRE(rig->feed("AT+CLCC=1\r") == just_ok);
  REQUIRE(rig->feed("ATDT+44 20,7946W0000i;\r") ==
          "\r\nOK\r\n\r\n+CLCC: 1,0,2,0,0,\"+442079460000\",145\r\n\r\n+CLCC: 1,0,3,0,0,\"+442079460000\",145\r\n");
  REQUIRE(rig->feed("AT+CHUP\r") == "\r\nOK\r\n\r\n+CLCC: 1,0,6,0,0,\"+442079460000\",145\r\n");
  REQUIRE(rig->feed("AT+CLCC=0;+CHUP\r") == just_ok);  // no call: AT+CHUP still says OK
  REQUIRE(rig->feed("ATDL\r") == just_ok);               // TinyGSM's callNumber("last")
  REQUIRE(rig->module.call().number() == "+442079460000");
  REQUIRE(rig->feed("ATH\r") == just_ok);
  REQUIRE(rig->feed("ATD*99#\r") == error);     // a data call: not carried by this module
  REQUIRE(rig->feed("ATD;\r") == error);        // no number
  REQUIRE(rig->feed("ATD12+3;\r") == error);    // '+' only leads
  REQUIRE(rig->feed("ATD>SM1;\r") == error);    // phonebook dialling: the phonebooks are empty
  REQUIRE(rig->feed("ATDX;\r") == error);
  REQUIRE(rig->feed("ATD=?\r") == error);
  REQUIRE(rig->feed("ATD123;+CLCC\r") == ok("+CLCC: 1,0,3,0,0,\"123\",129"));  // commands may follow the ';'
}

TEST_CASE("calls: no SIM or no network service refuses ATD, a lost network drops the call") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  world(*rig, [](radio_world& w) { return w.coverage_lost(); });
  rig->module.take_output();
  REQUIRE(rig->feed("ATD10086;\r") == "\r\n+CME ERROR: 30\r\n");
  world(*rig, [](radio_world& w) { return w.coverage_restored(); });
  world(*rig, [](radio_world& w) { return w.sim_removed(); });
  rig->module.take_output();
  REQUIRE(rig->feed("ATD10086;\r") == "\r\n+CME ERROR: 10\r\n");
  world(*rig, [](radio_world& w) { return w.sim_inserted(); });
  rig->module.take_output();
  REQUIRE(rig->feed("ATD10086;\r") == just_ok);
  network(*rig, call_event::far_end_answers);
  rig->clock.now += 3;
  world(*rig, [](radio_world& w) { return w.coverage_lost(); });
  CHECK(rig->module.take_output() == urc("VOICE CALL: END: 000003") + urc("NO CARRIER"));
  CHECK(rig->module.call().phase() == call_phase::idle);
}

TEST_CASE("calls: an outgoing call that is busy, rejected, or that nobody answers") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  REQUIRE(rig->feed("ATD10086;\r") == just_ok);
  REQUIRE(network(*rig, call_event::far_end_busy) == urc("BUSY"));
  REQUIRE(rig->feed("ATD10086;\r") == just_ok);
  REQUIRE(network(*rig, call_event::far_end_rejects) == urc("NO CARRIER"));
  REQUIRE(rig->feed("ATD10086;\r") == just_ok);
  REQUIRE(rig->fire(timer_id::voice_call) == urc("NO ANSWER"));
  CHECK_FALSE(rig->module.call_event_from_network(call_event::far_end_answers));  // nothing is alerting
  CHECK(rig->timers.armed.count(timer_id::voice_call) == 0);
}

TEST_CASE("calls: an incoming call rings with +CLIP, ATA answers it, the far end hangs up") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  REQUIRE(rig->feed("ATA\r") == "\r\nNO CARRIER\r\n");  // nothing to answer
  REQUIRE(rig->feed("AT+CLIP=1;+CLIP?\r") == ok("+CLIP: 1,1"));
  REQUIRE(network(*rig, call_event::network_offers, "+8613800000000") ==
          urc("RING") + urc("+CLIP: \"+8613800000000\",145,\"\",0,\"\",0"));
  CHECK(rig->timers.armed.at(timer_id::voice_call) == agent::voice_call::ring_interval);
  REQUIRE(rig->fire(timer_id::voice_call) == urc("RING") + urc("+CLIP: \"+8613800000000\",145,\"\",0,\"\",0"));
  REQUIRE(rig->feed("AT+CLCC\r") == ok("+CLCC: 1,1,4,0,0,\"+8613800000000\",145"));
  REQUIRE(rig->feed("ATA\r") == "\r\nOK\r\n\r\nVOICE CALL: BEGIN\r\n");
  CHECK(rig->timers.armed.count(timer_id::voice_call) == 0);
  rig->clock.now += 7;
  REQUIRE(network(*rig, call_event::far_end_hangs_up) == urc("VOICE CALL: END: 000007") + urc("NO CARRIER"));
  REQUIRE(rig->feed("ATV0;A\r") == "3\r");  // NO CARRIER as a digit code
}

TEST_CASE("calls: AT+CRC rings as +CRING, the host rejects with ATH, a caller who gives up, a reboot forgets") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  REQUIRE(rig->feed("AT+CRC=1;+CRC?\r") == ok("+CRC: 1"));
  REQUIRE(network(*rig, call_event::network_offers, "5551234") == urc("+CRING: VOICE"));
  REQUIRE(rig->feed("ATH\r") == just_ok);
  CHECK(rig->module.call().phase() == call_phase::idle);
  REQUIRE(network(*rig, call_event::network_offers, "5551234") == urc("+CRING: VOICE"));
  REQUIRE(network(*rig, call_event::far_end_hangs_up) == urc("NO CARRIER"));
  REQUIRE(network(*rig, call_event::network_offers, "5551234") == urc("+CRING: VOICE"));
  rig->module.reboot();
  REQUIRE(rig->fire(timer_id::boot) == agent_test::boot_banner);
  CHECK(rig->module.call().phase() == call_phase::idle);
  CHECK(rig->timers.armed.count(timer_id::voice_call) == 0);
  REQUIRE(rig->feed("ATE0;+CRC?\r") == "ATE0;+CRC?\r" + ok("+CRC: 0"));  // settings back to power-on values
}

TEST_CASE("ussd: AT+CUSD forms, an unknown code, a final reply") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  REQUIRE(rig->feed("AT+CUSD=?\r") == ok("+CUSD: (0-2)"));
  REQUIRE(rig->feed("AT+CUSD?\r") == ok("+CUSD: 0"));
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\",15\r") == "\r\nOK\r\n\r\n+CUSD: 4\r\n");  // the network does not know it
  REQUIRE(rig->feed("AT+CUSD?\r") == ok("+CUSD: 1"));
  world(*rig, [](radio_world& w) {
    w.ussd().set_reply("*100#", "Balance: 5.00 EUR, valid till \"31.12\"");
    return world_effects{};
  });
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\",15\r") ==
          "\r\nOK\r\n\r\n+CUSD: 0,\"Balance: 5.00 EUR, valid till \\2231.12\\22\",15\r\n");
  REQUIRE(rig->feed("AT+CUSD=0,\"*100#\"\r") == just_ok);  // asked, but the answer is not shown
  REQUIRE(rig->feed("AT+CUSD=3\r") == error);
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\",256\r") == error);
  REQUIRE(rig->feed("AT+CUSD=1,\"" + std::string(183, '1') + "\"\r") == error);
}

TEST_CASE("ussd: a two-level menu answered with replies, an unknown choice, and a cancelled session") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  world(*rig, [](radio_world& w) {
    w.ussd().set_menu("*100#", "1 Balance 2 Offers");
    w.ussd().set_reply("*100#>1", "Balance 5 EUR");
    w.ussd().set_menu("*100#>2", "1 Data 2 Voice");
    w.ussd().set_reply("*100#>2>1", "Data pack ordered");
    return world_effects{};
  });
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\",15\r") == "\r\nOK\r\n\r\n+CUSD: 1,\"1 Balance 2 Offers\",15\r\n");
  REQUIRE(rig->feed("AT+CUSD=1,\"2\",15\r") == "\r\nOK\r\n\r\n+CUSD: 1,\"1 Data 2 Voice\",15\r\n");
  REQUIRE(rig->feed("AT+CUSD=1,\"1\",15\r") == "\r\nOK\r\n\r\n+CUSD: 0,\"Data pack ordered\",15\r\n");
  CHECK_FALSE(rig->module.world().ussd().session());
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\"\r") == "\r\nOK\r\n\r\n+CUSD: 1,\"1 Balance 2 Offers\",15\r\n");
  REQUIRE(rig->feed("AT+CUSD=1,\"9\"\r") == "\r\nOK\r\n\r\n+CUSD: 4\r\n");  // no such choice: the session ends
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\"\r") == "\r\nOK\r\n\r\n+CUSD: 1,\"1 Balance 2 Offers\",15\r\n");
  REQUIRE(rig->feed("AT+CUSD=2\r") == just_ok);
  CHECK_FALSE(rig->module.world().ussd().session());
  REQUIRE(rig->feed("AT+CUSD=1,\"1\"\r") == "\r\nOK\r\n\r\n+CUSD: 4\r\n");  // "1" alone is no code
  REQUIRE(rig->feed("AT+CUSD=2\r") == just_ok);  // nothing open: still OK
}

TEST_CASE("ussd: no SIM or no network refuses, UCS2 strings both ways") {
  auto rig = module_rig::quiet("ATE0;+CMEE=1");
  world(*rig, [](radio_world& w) {
    w.ussd().set_reply("*101#", "Solde 5€");
    return w.sim_removed();
  });
  rig->module.take_output();
  REQUIRE(rig->feed("AT+CUSD=1,\"*101#\",15\r") == "\r\n+CME ERROR: 10\r\n");
  world(*rig, [](radio_world& w) { return w.sim_inserted(); });
  world(*rig, [](radio_world& w) { return w.coverage_lost(); });
  rig->module.take_output();
  REQUIRE(rig->feed("AT+CUSD=1,\"*101#\",15\r") == "\r\n+CME ERROR: 30\r\n");
  world(*rig, [](radio_world& w) { return w.coverage_restored(); });
  rig->module.take_output();
  REQUIRE(rig->feed("AT+CSCS=\"UCS2\";+CUSD=1,\"002A0031003000310023\",15\r") ==
          "\r\nOK\r\n\r\n+CUSD: 0,\"0053006F006C006400650020003520AC\",15\r\n");
  REQUIRE(rig->feed("AT+CUSD=1,\"*101#\",15\r") == error);  // not hex UCS2
}
