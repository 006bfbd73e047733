// Voice calls and USSD against a running emulator: sim7600-ctl plays the network and the other party (`call ...`,
// `ussd ...`), the test is the host on the real PTY and sees what a SIM7600 prints.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/harness.hpp"

using namespace e2e;

namespace {

void network(const emulator& module, std::vector<std::string> args) {
  const finished_run run = run_ctl(module, std::move(args));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
}

nlohmann::json call_state(const emulator& module) {
  const finished_run run = run_ctl(module, {"state", "--json"});
  REQUIRE(run.exit_code == 0);
  return nlohmann::json::parse(run.out)["call"];
}

}  // namespace

TEST_CASE("calls: an incoming call rings with +CLIP and is answered by ATA, then the caller hangs up", "[e2e][calls]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0;+CLIP=1") == "ATE0;+CLIP=1\r\r\nOK\r\n");
  network(m.module, {"call", "incoming", "+8613800000000"});
  CHECK(m.port.read_until(",0\r\n") == "\r\nRING\r\n\r\n+CLIP: \"+8613800000000\",145,\"\",0,\"\",0\r\n");
  CHECK(call_state(m.module)["phase"] == "incoming");
  // The network rings again every few seconds until someone answers.
  CHECK(m.port.read_until(",0\r\n", 10s) == "\r\nRING\r\n\r\n+CLIP: \"+8613800000000\",145,\"\",0,\"\",0\r\n");
  CHECK(run_ctl(m.module, {"call", "incoming", "+1555"}).err ==
        "sim7600-ctl: a call is already in progress (call waiting is not emulated)\n");
  CHECK(m.port.command("ATA") == "\r\nOK\r\n");
  CHECK(m.port.read_until("BEGIN\r\n") == "\r\nVOICE CALL: BEGIN\r\n");
  CHECK(m.port.command("AT+CLCC") == "\r\n+CLCC: 1,1,0,0,0,\"+8613800000000\",145\r\n\r\nOK\r\n");
  network(m.module, {"call", "hangup"});
  const std::string ended = m.port.read_until("NO CARRIER\r\n");
  CHECK(ended.starts_with("\r\nVOICE CALL: END: 0000"));
  CHECK(ended.ends_with("\r\n\r\nNO CARRIER\r\n"));
  CHECK(call_state(m.module)["phase"] == "idle");
  CHECK(run_ctl(m.module, {"call", "hangup"}).err == "sim7600-ctl: no call to hang up\n");
}

TEST_CASE("calls: outgoing calls answered (with DTMF), busy, and hung up by the far end", "[e2e][calls]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0;+CLCC=1") == "ATE0;+CLCC=1\r\r\nOK\r\n");
  CHECK(run_ctl(m.module, {"call", "answer"}).err == "sim7600-ctl: no outgoing call is alerting\n");
  CHECK(m.port.command("ATD10086;") == "\r\nOK\r\n");
  CHECK(m.port.read_until(",3,0,0,\"10086\",129\r\n") ==
        "\r\n+CLCC: 1,0,2,0,0,\"10086\",129\r\n\r\n+CLCC: 1,0,3,0,0,\"10086\",129\r\n");
  network(m.module, {"call", "answer"});
  CHECK(m.port.read_until(",0,0,0,\"10086\",129\r\n") == "\r\nVOICE CALL: BEGIN\r\n\r\n+CLCC: 1,0,0,0,0,\"10086\",129\r\n");
  CHECK(m.port.command("AT+VTS=\"1#\"") == "\r\nOK\r\n");
  const nlohmann::json call = call_state(m.module);
  CHECK(call["phase"] == "active");
  CHECK(call["direction"] == "outgoing");
  CHECK(call["tones"] == "1#");
  network(m.module, {"call", "hangup"});
  CHECK(m.port.read_until("NO CARRIER\r\n").ends_with("\r\n+CLCC: 1,0,6,0,0,\"10086\",129\r\n\r\nNO CARRIER\r\n"));

  CHECK(m.port.command("AT+CLCC=0;D10010;") == "\r\nOK\r\n");
  network(m.module, {"call", "busy"});
  CHECK(m.port.read_until("BUSY\r\n") == "\r\nBUSY\r\n");
  CHECK(m.port.command("ATD10010;") == "\r\nOK\r\n");
  network(m.module, {"call", "reject"});
  CHECK(m.port.read_until("NO CARRIER\r\n") == "\r\nNO CARRIER\r\n");
  CHECK(m.port.command("ATD10010;") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CHUP") == "\r\nOK\r\n");  // the host gives up before anyone answers
  CHECK(call_state(m.module)["phase"] == "idle");
  CHECK(run_ctl(m.module, {"call", "incoming", "not-a-number"}).exit_code == 1);
}

TEST_CASE("ussd: a reply, a two-level menu, a cancelled session, an unknown code", "[e2e][ussd]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  network(m.module, {"ussd", "reply", "*101#", "Balance 5.00 EUR"});
  network(m.module, {"ussd", "menu", "*100#", "1 Balance 2 Offers"});
  network(m.module, {"ussd", "menu", "*100#>2", "1 Data 2 Voice"});
  network(m.module, {"ussd", "reply", "*100#>2>1", "Data pack ordered"});
  CHECK(m.port.command("AT+CUSD=1,\"*101#\",15") == "\r\nOK\r\n");
  CHECK(m.port.read_until(",15\r\n") == "\r\n+CUSD: 0,\"Balance 5.00 EUR\",15\r\n");
  CHECK(m.port.command("AT+CUSD=1,\"*100#\",15") == "\r\nOK\r\n");
  CHECK(m.port.read_until(",15\r\n") == "\r\n+CUSD: 1,\"1 Balance 2 Offers\",15\r\n");
  CHECK(m.port.command("AT+CUSD=1,\"2\",15") == "\r\nOK\r\n");
  CHECK(m.port.read_until(",15\r\n") == "\r\n+CUSD: 1,\"1 Data 2 Voice\",15\r\n");
  CHECK(m.port.command("AT+CUSD=1,\"1\",15") == "\r\nOK\r\n");
  CHECK(m.port.read_until(",15\r\n") == "\r\n+CUSD: 0,\"Data pack ordered\",15\r\n");
  CHECK(m.port.command("AT+CUSD=1,\"*100#\",15") == "\r\nOK\r\n");
  CHECK(m.port.read_until(",15\r\n") == "\r\n+CUSD: 1,\"1 Balance 2 Offers\",15\r\n");
  CHECK(m.port.command("AT+CUSD=2") == "\r\nOK\r\n");
  const finished_run state = run_ctl(m.module, {"state", "--json"});
  CHECK(nlohmann::json::parse(state.out)["world"]["ussd"]["session"].is_null());
  CHECK(m.port.command("AT+CUSD=1,\"*999#\",15") == "\r\nOK\r\n");
  CHECK(m.port.read_until("\r\n+CUSD: 4\r\n") == "\r\n+CUSD: 4\r\n");
  CHECK(run_ctl(m.module, {"ussd", "reply", "*1#"}).exit_code == 2);  // TEXT missing: usage
}
