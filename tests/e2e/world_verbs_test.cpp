// sim7600-ctl's radio-world verbs against a running emulator: what the host sees on the port (URCs per the
// reporting modes it set, answers of the AT commands), and what the ADA agent makes of it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/cloud_fixtures.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {

// Runs a verb that must be taken.
void world(const emulator& module, std::vector<std::string> args) {
  const finished_run run = run_ctl(module, std::move(args));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
}

}  // namespace

TEST_CASE("world: signal, operator, battery and temperature show in their AT answers", "[e2e][world]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  world(m.module, {"signal", "12", "3"});
  CHECK(m.port.command("AT+CSQ") == "\r\n+CSQ: 12,3\r\n\r\nOK\r\n");
  world(m.module, {"operator", "TEST NET", "00101", "7"});
  CHECK(m.port.command("AT+COPS?") == "\r\n+COPS: 0,0,\"TEST NET\",7\r\n\r\nOK\r\n");
  world(m.module, {"temperature", "55"});
  CHECK(m.port.command("AT+CPMUTEMP") == "\r\n+CPMUTEMP: 55\r\n\r\nOK\r\n");
  world(m.module, {"battery", "3350"});
  CHECK(m.port.read_until("WARNNING\r\n") == "\r\nUNDER-VOLTAGE WARNNING\r\n");
  CHECK(m.port.command("AT+CBC") == "\r\n+CBC: 3.350V\r\n\r\nOK\r\n");
  const finished_run bad = run_ctl(m.module, {"signal", "40"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "sim7600-ctl: RSSI is 0-31 or 99\n");
  CHECK(m.port.command("AT+CSQ") == "\r\n+CSQ: 12,3\r\n\r\nOK\r\n");  // a refused verb changes nothing
}

TEST_CASE("world: coverage and registration give +CREG/+CGREG/+CEREG per n", "[e2e][world]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0;+CREG=1;+CGREG=1;+CEREG=2") == "ATE0;+CREG=1;+CGREG=1;+CEREG=2\r\r\nOK\r\n");
  world(m.module, {"coverage", "lost"});
  CHECK(m.port.read_until("+CEREG: 2\r\n") == "\r\n+CREG: 2\r\n\r\n+CGREG: 2\r\n\r\n+CEREG: 2\r\n");
  CHECK(m.port.command("AT+CSQ") == "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
  world(m.module, {"coverage", "restored"});
  const std::string back = m.port.read_until("+CEREG: 1");
  CHECK(back.starts_with("\r\n+CREG: 1\r\n\r\n+CGREG: 1\r\n\r\n+CEREG: 1"));
  world(m.module, {"registration", "cs", "5"});
  CHECK(m.port.read_until("+CREG: 5\r\n").ends_with("\r\n+CREG: 5\r\n"));
  CHECK(m.port.command("AT+CREG?") == "\r\n+CREG: 1,5\r\n\r\nOK\r\n");
  CHECK(run_ctl(m.module, {"registration", "wifi", "1"}).err == "sim7600-ctl: DOMAIN is cs, ps, eps or all\n");
}

TEST_CASE("world: the SIM removed, reinserted and locked with a PIN", "[e2e][world]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0;+CMEE=1") == "ATE0;+CMEE=1\r\r\nOK\r\n");
  world(m.module, {"sim", "remove"});
  CHECK(m.port.read_until("+SIMCARD: NOT AVAILABLE\r\n") == "\r\n+CPIN: NOT READY\r\n\r\n+SIMCARD: NOT AVAILABLE\r\n");
  CHECK(m.port.command("AT+CPIN?") == "\r\n+CME ERROR: 10\r\n");
  CHECK(run_ctl(m.module, {"sim", "remove"}).err == "sim7600-ctl: no SIM in the holder\n");
  world(m.module, {"sim", "insert"});
  CHECK(m.port.read_until("PB DONE\r\n").starts_with("\r\n+CPIN: READY\r\n"));
  world(m.module, {"sim", "pin", "1234"});
  CHECK(m.port.read_until("+CPIN: SIM PIN\r\n").ends_with("\r\n+CPIN: SIM PIN\r\n"));
  CHECK(m.port.command("AT+CPIN?") == "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+CPIN=1234").starts_with("\r\nOK\r\n"));
  CHECK(m.port.read_until("PB DONE\r\n").ends_with("PB DONE\r\n"));
  CHECK(m.port.command("AT+CPIN?") == "\r\n+CPIN: READY\r\n\r\nOK\r\n");
}

TEST_CASE("world: network time gives NITZ URCs per AT+CTZR, clock skew moves AT+CCLK", "[e2e][world]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0;+CTZU=1;+CTZR=1") == "ATE0;+CTZU=1;+CTZR=1\r\r\nOK\r\n");
  world(m.module, {"network-time", "2030-01-01T00:00:00Z", "+08:00"});
  CHECK(m.port.read_until("DST: 0\r\n").starts_with("\r\n+CTZV: +32\r\n"));
  CHECK(m.port.command("AT+CCLK?").starts_with("\r\n+CCLK: \"30/01/01,08:0"));
  world(m.module, {"clock", "skew", "86400"});
  CHECK(m.port.command("AT+CCLK?").starts_with("\r\n+CCLK: \"30/01/02,08:0"));
  CHECK(run_ctl(m.module, {"network-time", "yesterday"}).err == "sim7600-ctl: time is YYYY-MM-DDThh:mm:ssZ (UTC)\n");
}

TEST_CASE("world: sms deliver stores with +CMTI or routes with +CMT per AT+CNMI, sms sent lists AT+CMGS", "[e2e][world]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0;+CMGF=1;+CNMI=2,1") == "ATE0;+CMGF=1;+CNMI=2,1\r\r\nOK\r\n");
  world(m.module, {"sms", "deliver", "+8613900000000", "hello there"});
  CHECK(m.port.read_until("+CMTI: \"SM\",1\r\n") == "\r\n+CMTI: \"SM\",1\r\n");  // indexes count from 1
  CHECK(m.port.command("AT+CMGR=1").find("\r\nhello there\r\n") != std::string::npos);
  REQUIRE(m.port.command("AT+CNMI=2,2") == "\r\nOK\r\n");
  world(m.module, {"sms", "deliver", "10086", "direct"});
  CHECK(m.port.read_until("direct\r\n").starts_with("\r\n+CMT: \"10086\""));
  m.port.send("AT+CMGS=\"10010\"\r");
  REQUIRE(m.port.read_until("> ") == "\r\n> ");
  m.port.send("bye\x1A");
  CHECK(m.port.read_until("OK\r\n") == "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  const finished_run sent = run_ctl(m.module, {"sms", "sent", "--json"});
  CHECK(sent.out == "{\"sent\":[{\"text\":\"bye\",\"to\":\"10010\"}]}\n");
  CHECK(run_ctl(m.module, {"sms", "sent"}).out == "1 SMS sent\n  to 10010: bye\n");  // read by a person
  const auto state = nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out);
  CHECK(state["world"]["sms_sent"] == 1);
  CHECK(state["world"]["sim"] == "ready");
}

TEST_CASE("world: coverage lost while connected takes the agent down, restored brings it back", "[e2e][world]") {
  booted_module m({"--network", "auto"});
  start_service(m.port);
  enable_and_listen(m.port);
  world(m.module, {"coverage", "lost"});
  CHECK(m.port.read_until("+ADA: \"l\",\"down\"\r\n").ends_with("+ADA: \"l\",\"down\"\r\n"));
  CHECK(m.port.command("AT+ADA=\"status\"").find("+ADA: \"status\",3") != std::string::npos);
  auto state = nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out);
  CHECK(state["world"]["coverage"] == false);
  CHECK(state["data_call"] == false);
  world(m.module, {"coverage", "restored"});
  CHECK(m.port.read_until("+ADA: \"l\",\"up\"\r\n", 30s).ends_with("+ADA: \"l\",\"up\"\r\n"));
}
