// SMS (27.005): the PDU codec against 23.040 examples, and the commands in text and PDU mode through the module.
#include <catch2/catch.hpp>

#include "agent/radio_world.hpp"
#include "agent/sms_pdu.hpp"
#include "module_test_rig.hpp"

using agent::radio_world;
using agent_test::module_rig;

namespace {

std::unique_ptr<module_rig> sms_module(const char* setup) {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed(setup) == "\r\nOK\r\n");
  return rig;
}

void deliver(module_rig& rig, const std::string& from, const std::string& text) {
  const std::int64_t now = rig.clock.now;
  rig.module.world_event([&](radio_world& world) { return world.sms_deliver(from, text, now); });
}

}  // namespace

TEST_CASE("sms: an SMS-DELIVER PDU, byte for byte") {
  agent::sms_message message{agent::sms_message::status::received_unread, "+8613912345678", 1704067200, 32,
                             "hellohello"};
  auto pdu = agent::deliver_pdu("+8613800100500", message);
  REQUIRE(pdu.hex == "0891683108100005F0040D91683119325476F8000042101080000023"
                     "0AE8329BFD4697D9EC37");
  REQUIRE(pdu.tpdu_length == 29);
}

TEST_CASE("sms: an SMS-SUBMIT PDU is read, and a wrong length or type refused") {
  const std::string submit = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";
  auto sms = agent::parse_submit_pdu(submit, 23);
  REQUIRE(sms);
  REQUIRE(sms->destination == "+46708251358");
  REQUIRE(sms->text == "hellohello");
  REQUIRE_FALSE(agent::parse_submit_pdu(submit, 22));
  REQUIRE_FALSE(agent::parse_submit_pdu(submit.substr(0, submit.size() - 2), 22));
  REQUIRE_FALSE(agent::parse_submit_pdu("0004000B916407281553F80000AA0AE8329BFD4697D9EC37", 23));  // a DELIVER
  REQUIRE_FALSE(agent::parse_submit_pdu("0011000B916407281553F80000AA0AE8329BFD4697D9EC3G", 23));
}

TEST_CASE("sms: text mode — the prompt, Ctrl-Z sends, ESC cancels") {
  auto rig = sms_module("AT+CMGF=1\r");
  REQUIRE(rig->feed("AT+CMGS=\"+8613912345678\"\r") == "\r\n> ");
  REQUIRE(rig->feed("Hello").empty());  // echo off
  REQUIRE(rig->feed("\x1A") == "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGS=\"10086\"\rnever\x1B") == "\r\n> \r\nOK\r\n");
  REQUIRE(rig->module.world().sms_sent().size() == 1);
  REQUIRE(rig->module.world().sms_sent()[0].destination == "+8613912345678");
  REQUIRE(rig->module.world().sms_sent()[0].text == "Hello");
  rig->feed("ATE1\r");
  REQUIRE(rig->feed("AT+CMGS=\"10086\"\rA\rB\x1A") == "AT+CMGS=\"10086\"\r\r\n> A\r\n> B\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST_CASE("sms: a 200 KB body is refused and the port answers AT") {
  auto rig = sms_module("AT+CMGF=1;+CMEE=2\r");
  REQUIRE(rig->feed("AT+CMGS=\"10086\"\r") == "\r\n> ");
  REQUIRE(rig->feed(std::string(200 * 1024, 'x')).empty());
  REQUIRE(rig->feed("\x1A") == "\r\n+CMS ERROR: invalid text mode parameter\r\n");
  REQUIRE(rig->feed("AT\r") == "\r\nOK\r\n");
  REQUIRE(rig->module.world().sms_sent().empty());
}

TEST_CASE("sms: PDU mode — AT+CMGS=<length> checks the PDU") {
  auto rig = sms_module("AT+CMEE=1\r");
  REQUIRE(rig->feed("AT+CMGS=23\r0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1A") ==
          "\r\n> \r\n+CMGS: 0\r\n\r\nOK\r\n");
  REQUIRE(rig->module.world().sms_sent().back().destination == "+46708251358");
  REQUIRE(rig->feed("AT+CMGS=24\r0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1A") ==
          "\r\n> \r\n+CMS ERROR: 304\r\n");  // a length mismatch
  REQUIRE(rig->feed("AT+CMGS=\"x\"\r") == "\r\n+CMS ERROR: 304\r\n");
}

TEST_CASE("sms: no SIM or no network, no sending") {
  auto rig = sms_module("AT+CMGF=1;+CMEE=1\r");
  rig->module.world_event([](radio_world& world) { return world.coverage_lost(); });
  REQUIRE(rig->feed("AT+CMGS=\"10086\"\r") == "\r\n+CMS ERROR: 331\r\n");
  rig->module.world_event([](radio_world& world) { return world.sim_removed(); });
  rig->module.take_output();
  REQUIRE(rig->feed("AT+CMGS=\"10086\"\r") == "\r\n+CMS ERROR: 310\r\n");
}

TEST_CASE("sms: an incoming message is stored with +CMTI, then read, listed and deleted (text mode)") {
  auto rig = sms_module("AT+CMGF=1\r");
  deliver(*rig, "+8613912345678", "Hi there");
  REQUIRE(rig->module.take_output() == "\r\n+CMTI: \"SM\",1\r\n");
  deliver(*rig, "10086", "Second");
  REQUIRE(rig->module.take_output() == "\r\n+CMTI: \"SM\",2\r\n");
  REQUIRE(rig->feed("AT+CPMS?\r") == "\r\n+CPMS: \"SM\",2,30,\"SM\",2,30,\"SM\",2,30\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGR=1\r") ==
          "\r\n+CMGR: \"REC UNREAD\",\"+8613912345678\",\"\",\"23/11/14,22:13:20+00\"\r\nHi there\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGL=\"REC UNREAD\"\r") ==
          "\r\n+CMGL: 2,\"REC UNREAD\",\"10086\",\"\",\"23/11/14,22:13:20+00\"\r\nSecond\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGL=\"ALL\"\r") ==
          "\r\n+CMGL: 1,\"REC READ\",\"+8613912345678\",\"\",\"23/11/14,22:13:20+00\"\r\nHi there\r\n"
          "+CMGL: 2,\"REC READ\",\"10086\",\"\",\"23/11/14,22:13:20+00\"\r\nSecond\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGL=\"NEW\"\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CMGD=1;+CMGR=1\r") == "\r\n+CMS ERROR: 321\r\n");
  REQUIRE(rig->feed("AT+CMGD=0,4;+CPMS?\r") == "\r\n+CPMS: \"SM\",0,30,\"SM\",0,30,\"SM\",0,30\r\n\r\nOK\r\n");
}

TEST_CASE("sms: PDU mode reads, and AT+CNMI=2,2 routes a message straight to the host") {
  auto rig = sms_module("AT\r");
  REQUIRE(rig->feed("AT+CPMS=\"ME\",\"ME\",\"ME\"\r") == "\r\n+CPMS: 0,23,0,23,0,23\r\n\r\nOK\r\n");
  deliver(*rig, "+8613912345678", "hellohello");
  REQUIRE(rig->module.take_output() == "\r\n+CMTI: \"ME\",1\r\n");
  REQUIRE(rig->feed("AT+CMGL=4\r") ==
          "\r\n+CMGL: 1,0,,29\r\n0891683108100005F0040D91683119325476F8000032114122310200"
          "0AE8329BFD4697D9EC37\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGR=1\r") ==
          "\r\n+CMGR: 1,,29\r\n0891683108100005F0040D91683119325476F8000032114122310200"
          "0AE8329BFD4697D9EC37\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CNMI=2,2;+CMGF=1\r") == "\r\nOK\r\n");
  deliver(*rig, "10086", "Direct");
  REQUIRE(rig->module.take_output() == "\r\n+CMT: \"10086\",\"\",\"23/11/14,22:13:20+00\"\r\nDirect\r\n");
  REQUIRE(rig->feed("AT+CPMS?\r") == "\r\n+CPMS: \"ME\",1,23,\"ME\",1,23,\"ME\",1,23\r\n\r\nOK\r\n");
}

TEST_CASE("sms: settings — AT+CSCA, AT+CSMP, AT+CNMI, AT+CPMS, AT+CMGF") {
  auto rig = sms_module("AT\r");
  REQUIRE(rig->feed("AT+CSCA?\r") == "\r\n+CSCA: \"+8613800100500\",145\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CSCA=\"13800100500\";+CSCA?\r") == "\r\n+CSCA: \"13800100500\",129\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CSMP?\r") == "\r\n+CSMP: 17,167,0,0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CSMP=17,255,0,0;+CSMP?\r") == "\r\n+CSMP: 17,255,0,0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CSMP=256\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CMGF=2\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CPMS=\"ME\",\"MT\"\r") == "\r\n+CPMS: 0,23,0,53,0,30\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMGL=?\r") == "\r\n+CMGL: (0-4)\r\n\r\nOK\r\n");
}

TEST_CASE("sms: a send gives the same bytes at every split of the host's input") {
  const std::string input = "AT+CMGS=\"10086\"\rAB\x1A" "AT\r";
  auto output = agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    auto rig = module_rig::booted();
    rig->feed("AT+CMGF=1\r");
    std::string out;
    for (auto piece : pieces) out += rig->feed(piece);
    return out;
  });
  REQUIRE(output == "AT+CMGS=\"10086\"\r\r\n> AB\r\n+CMGS: 0\r\n\r\nOK\r\nAT\r\r\nOK\r\n");
}
