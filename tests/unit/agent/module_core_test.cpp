#include <catch2/catch.hpp>

#include "agent/module_core.hpp"
#include "apca/service.hpp"
#include "agent_test_support.hpp"
#include "module_test_rig.hpp"

using agent::module_core;
using apca::timer_id;
using agent_test::same_output_at_every_split;

using agent_test::module_rig;
using agent_test::boot_banner;

TEST_CASE("module: silent while booting, then the SIM7600 boot banner") {
  module_rig rig;
  REQUIRE(rig.feed("AT\r").empty());  // powered off
  rig.module.power_on();
  REQUIRE(rig.timers.armed.count(timer_id::boot));
  REQUIRE(rig.timers.armed.at(timer_id::boot) == agent::module_options{}.boot_delay);
  REQUIRE(rig.feed("AT\rATI\r").empty());  // booting: no echo, no answer
  rig.timers.fire(timer_id::boot, rig.module);
  REQUIRE(rig.module.take_output() == boot_banner);
  REQUIRE(rig.feed("AT\r") == "AT\r\r\nOK\r\n");  // what was typed while booting is gone
}

TEST_CASE("module: identification answers") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("ATI\r") ==
          "\r\nManufacturer: SIMCOM INCORPORATED\r\nModel: SIMCOM_SIM7600E-L1C\r\nRevision: LE11B01SIM7600M11\r\n"
          "IMEI: 867584030000000\r\n+GCAP: +CGSM\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGMI\r") == "\r\nSIMCOM INCORPORATED\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGMM\r") == "\r\nSIMCOM_SIM7600E-L1C\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGMR\r") == "\r\n+CGMR: LE11B01SIM7600M11\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGSN\r") == "\r\n867584030000000\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CIMI\r") == "\r\n460011234567890\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CICCID\r") == "\r\n+ICCID: 89860112345678901234\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGMI=?\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+SIMCOMATI\r") ==
          "\r\nManufacturer: SIMCOM INCORPORATED\r\nModel: SIMCOM_SIM7600E-L1C\r\nRevision: LE11B01SIM7600M11\r\n"
          "QCN: \r\nIMEI: 867584030000000\r\nMEID: \r\n+GCAP: +CGSM\r\nDeviceInfo: 173,170\r\n\r\nOK\r\n");
}

TEST_CASE("module: the revision follows the firmware version in NV") {
  config_store::nv_image stored;
  stored.values["fw/version"] = "LE11B02SIM7600M11_NA_OTA_200101 B01V07";
  auto rig = module_rig::booted(stored);
  REQUIRE(rig->feed("AT+CGMR\r") == "AT+CGMR\r\r\n+CGMR: LE11B02SIM7600M11\r\n\r\nOK\r\n");
}

TEST_CASE("module: SIM and network status") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CPIN?\r") == "\r\n+CPIN: READY\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CSQ;+CREG?\r") == "\r\n+CSQ: 23,99\r\n\r\n+CREG: 0,1\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGREG?;+CEREG?\r") == "\r\n+CGREG: 0,1\r\n\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CEREG=2;+CEREG?\r") == "\r\n+CEREG: 2,1,\"1816\",\"0C1B2A03\",7\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+COPS?\r") == "\r\n+COPS: 0,0,\"CHINA MOBILE\",7\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CCLK?\r") == "\r\n+CCLK: \"23/11/14,22:13:20+00\"\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CFUN?\r") == "\r\n+CFUN: 1\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CFUN=4;+CSQ;+CREG?;+CFUN?\r") ==
          "\r\n+CSQ: 99,99\r\n\r\n+CREG: 0,0\r\n\r\n+CFUN: 4\r\n\r\nOK\r\n\r\n+CEREG: 0\r\n");  // AT+CEREG=2 above
  REQUIRE(rig->feed("AT+CFUN=2\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CFUN=0,1\r") == "\r\nERROR\r\n");
}

TEST_CASE("module: the SIM7600 framing of a command with a URC (ATE1, ATV1)") {
  auto rig = module_rig::booted();
  REQUIRE(rig->feed("AT+ADA=\"start\"\r") == "AT+ADA=\"start\"\r\r\nOK\r\n\r\n+ADA: \"start\",\"done\"\r\n");
}

TEST_CASE("module: registration changes are URCs with AT+CREG=1|2") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CREG=1;+CEREG=2;+CFUN=4\r") == "\r\nOK\r\n\r\n+CREG: 0\r\n\r\n+CEREG: 0\r\n");
  REQUIRE(rig->feed("AT+CFUN=4\r") == "\r\nOK\r\n");  // no change, no URC
  REQUIRE(rig->feed("AT+CFUN=1\r") ==
          "\r\nOK\r\n\r\n+CREG: 1\r\n\r\n+CEREG: 1,\"1816\",\"0C1B2A03\",7\r\n");
  REQUIRE(rig->feed("AT+CREG=3\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CREG=?\r") == "\r\n+CREG: (0-2)\r\n\r\nOK\r\n");
}

TEST_CASE("module: CME errors of the module's own commands follow AT+CMEE") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CPIN=\"1234\"\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CMEE=2;+CPIN=\"1234\"\r") == "\r\n+CME ERROR: operation not allowed\r\n");
}

TEST_CASE("module: the note's bring-up (sample 4.1), byte for byte at every split") {
  const std::string input =
      "AT+CGDCONT=6, \"IP\", \"3gnet\"\r"
      "AT+CAPNET=6,1\r"
      "AT+CHTTPSERV=\"ADD\", \"www.baidu.com\", 80,1\r"
      "AT+CHTTPUPDATE\r";
  auto output = same_output_at_every_split(input, [&](std::vector<std::string_view> pieces) {
    auto rig = module_rig::booted();
    std::string out;
    for (auto piece : pieces) out += rig->feed(piece);
    return out;
  });
  REQUIRE(output ==
          "AT+CGDCONT=6, \"IP\", \"3gnet\"\r\r\nOK\r\n"
          "AT+CAPNET=6,1\r\r\nOK\r\n"
          "AT+CHTTPSERV=\"ADD\", \"www.baidu.com\", 80,1\r\r\nOK\r\n"
          "AT+CHTTPUPDATE\r\r\nOK\r\n");
}

TEST_CASE("module: data call and clock sync with timers") {
  auto rig = module_rig::booted();
  REQUIRE(rig->feed("AT+CGDCONT=6,\"IP\",\"3gnet\"\r") == "AT+CGDCONT=6,\"IP\",\"3gnet\"\r\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CAPNET=6,1\r") == "AT+CAPNET=6,1\r\r\nOK\r\n");
  REQUIRE(rig->timers.armed.at(timer_id::data_call) == std::chrono::milliseconds(300));
  REQUIRE(rig->module.service().current_status().reason == 3);  // net error until the call is up
  REQUIRE(rig->fire(timer_id::data_call) == "\r\n+CAPNET: 6,1\r\n");
  REQUIRE(rig->module.service().current_status().reason == 2);  // now the clock
  REQUIRE(rig->feed("AT+CHTTPSERV=\"ADD\",\"www.baidu.com\",80,1\r") ==
          "AT+CHTTPSERV=\"ADD\",\"www.baidu.com\",80,1\r\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CHTTPUPDATE\r") == "AT+CHTTPUPDATE\r\r\nOK\r\n");
  REQUIRE(rig->fire(timer_id::clock_sync) == "\r\n+CHTTPUPDATE: 0\r\n");
  REQUIRE(rig->module.service().current_status().reason == 1);  // only the config is missing now

  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CGDCONT?\r") == "\r\n+CGDCONT: 6,\"IP\",\"3gnet\",\"0.0.0.0\",0,0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CAPNET?\r") == "\r\n+CAPNET: 6,1\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CHTTPSERV?\r") == "\r\n+CHTTPSERV: \"www.baidu.com\",80,1\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CAPNET=6,0\r") == "\r\nOK\r\n\r\n+CAPNET: 6,0\r\n");
  REQUIRE(rig->module.service().current_status().reason == 3);
  REQUIRE(rig->feed("AT+CAPNET?\r") == "\r\n+CAPNET: 6,0\r\n\r\nOK\r\n");
}

TEST_CASE("module: AT+CAPNET errors") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CAPNET=5,1\r") == "\r\nERROR\r\n");  // no such context
  REQUIRE(rig->feed("AT+CGDCONT=5,\"IP\",\"cmnet\"\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CAPNET=5,2\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CAPNET=5\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CAPNET=\"5\",1\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CFUN=4;+CAPNET=5,1\r") == "\r\nERROR\r\n");  // radio off
  REQUIRE_FALSE(rig->timers.armed.count(timer_id::data_call));
}

TEST_CASE("module: flight mode drops the data call") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  rig->feed("AT+CGDCONT=1,\"IP\",\"cmnet\";+CAPNET=1,1\r");
  REQUIRE(rig->fire(timer_id::data_call) == "\r\n+CAPNET: 1,1\r\n");
  REQUIRE(rig->feed("AT+CFUN=4;+CAPNET?\r") == "\r\n+CAPNET: 1,0\r\n\r\nOK\r\n");
  REQUIRE(rig->module.service().current_status().reason == 3);
}

TEST_CASE("module: flight mode while dialling abandons the call") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CGDCONT=1,\"IP\",\"cmnet\";+CAPNET=1,1;+CFUN=4\r") == "\r\nOK\r\n");
  REQUIRE_FALSE(rig->timers.armed.count(timer_id::data_call));
  REQUIRE(rig->feed("AT+CFUN=1;+CAPNET?\r") == "\r\n+CAPNET: 1,0\r\n\r\nOK\r\n");
}

TEST_CASE("module: two contexts dial one after the other") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CGDCONT=1,\"IP\",\"a\";+CGDCONT=2,\"IP\",\"b\";+CAPNET=2,1;+CAPNET=1,1\r") ==
          "\r\nOK\r\n");
  REQUIRE(rig->fire(timer_id::data_call) == "\r\n+CAPNET: 2,1\r\n");
  REQUIRE(rig->fire(timer_id::data_call) == "\r\n+CAPNET: 1,1\r\n");
  REQUIRE_FALSE(rig->timers.armed.count(timer_id::data_call));
  REQUIRE(rig->feed("AT+CAPNET=1,1\r") == "\r\nOK\r\n\r\n+CAPNET: 1,1\r\n");  // already up
  REQUIRE(rig->feed("AT+CGDCONT=1\r") == "\r\nERROR\r\n");  // a live context stays defined
}

TEST_CASE("module: AT+CHTTPUPDATE fails without a data call or a time server") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CHTTPUPDATE\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CHTTPUPDATE\r") == "\r\nERROR\r\n");  // one at a time
  REQUIRE(rig->fire(timer_id::clock_sync) == "\r\n+CHTTPUPDATE: 1\r\n");
  rig->feed("AT+CGDCONT=1,\"IP\",\"cmnet\";+CAPNET=1,1\r");
  rig->fire(timer_id::data_call);
  REQUIRE(rig->feed("AT+CHTTPUPDATE\r") == "\r\nOK\r\n");
  REQUIRE(rig->fire(timer_id::clock_sync) == "\r\n+CHTTPUPDATE: 1\r\n");  // no time server
  REQUIRE(rig->feed("AT+CHTTPSERV=\"ADD\",\"ntp.example\",80,1;+CHTTPSERV=\"DEL\",\"ntp.example\"\r") ==
          "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CHTTPSERV?\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CHTTPSERV=\"ADD\",\"x\",0,1\r") == "\r\nERROR\r\n");
}

TEST_CASE("module: a URC during a held command comes after its final result") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  rig->feed("AT+CGDCONT=6,\"IP\",\"3gnet\";+CAPNET=6,1\r");
  rig->nv.auto_complete = false;
  REQUIRE(rig->feed("AT&W\rAT+CSQ\r").empty());  // held until NV is durable
  REQUIRE(rig->fire(timer_id::data_call).empty());
  REQUIRE(rig->nv.pending.size() == 1);
  rig->nv.finish_save(true);
  REQUIRE(rig->module.take_output() == "\r\nOK\r\n\r\n+CAPNET: 6,1\r\n\r\n+CSQ: 23,99\r\n\r\nOK\r\n");
}

TEST_CASE("module: AT+CFUN=1,1 answers OK, reboots silently, and comes back with the stored profile") {
  auto rig = module_rig::booted();
  REQUIRE(rig->feed("ATE0\r") == "ATE0\r\r\nOK\r\n");
  rig->feed("AT+CGDCONT=6,\"IP\",\"3gnet\";+CAPNET=6,1\r");
  rig->fire(timer_id::data_call);
  REQUIRE(rig->feed("AT+CFUN=1,1\rAT\r") == "\r\nOK\r\n");
  REQUIRE(rig->timers.armed.count(timer_id::boot));
  REQUIRE(rig->feed("AT\r").empty());
  REQUIRE(rig->fire(timer_id::boot) == boot_banner);
  REQUIRE(rig->feed("AT\r") == "AT\r\r\nOK\r\n");                       // echo is back (nothing stored)
  REQUIRE(rig->feed("AT+CAPNET?\r") == "AT+CAPNET?\r\r\n+CAPNET: 6,0\r\n\r\nOK\r\n");  // call lost, context kept
}

TEST_CASE("module: AT&W survives AT+CRESET") {
  auto rig = module_rig::booted();
  REQUIRE(rig->feed("ATE0;+CMEE=2;&W\r") == "ATE0;+CMEE=2;&W\r\r\nOK\r\n");
  REQUIRE(rig->nv.stored.get("at/echo") == "0");
  REQUIRE(rig->feed("ATE1\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CRESET\r") == "AT+CRESET\r\r\nOK\r\n");
  REQUIRE(rig->fire(timer_id::boot) == boot_banner);
  REQUIRE(rig->feed("AT+CMEE?\r") == "\r\n+CMEE: 2\r\n\r\nOK\r\n");
}

TEST_CASE("module: the clock sync survives a reboot, the data call does not") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  rig->feed("AT+CGDCONT=6,\"IP\",\"3gnet\";+CAPNET=6,1;+CHTTPSERV=\"ADD\",\"www.baidu.com\",80,1\r");
  rig->fire(timer_id::data_call);
  rig->feed("AT+CHTTPUPDATE\r");
  rig->fire(timer_id::clock_sync);
  rig->feed("AT+CRESET\r");
  rig->fire(timer_id::boot);
  REQUIRE(rig->module.service().current_status().reason == 3);
  REQUIRE(rig->feed("AT+CAPNET=6,1\r") == "AT+CAPNET=6,1\r\r\nOK\r\n");
  REQUIRE(rig->fire(timer_id::data_call) == "\r\n+CAPNET: 6,1\r\n");
  REQUIRE(rig->module.service().current_status().reason == 1);  // not 2: the time is still good
}

TEST_CASE("module: a reboot asked from outside a command line happens at once") {
  auto rig = module_rig::booted();
  rig->module.reboot();
  REQUIRE(rig->feed("AT\r").empty());
  REQUIRE(rig->fire(timer_id::boot) == boot_banner);
}

TEST_CASE("module: a reboot asked while a command is held waits for its final result") {
  auto rig = module_rig::booted();
  rig->nv.auto_complete = false;
  REQUIRE(rig->feed("AT&W\r") == "AT&W\r");
  rig->module.reboot();
  REQUIRE_FALSE(rig->timers.armed.count(timer_id::boot));
  rig->nv.finish_save(true);
  REQUIRE(rig->module.take_output() == "\r\nOK\r\n");
  REQUIRE(rig->timers.armed.count(timer_id::boot));
  REQUIRE(rig->feed("AT\r").empty());
}

TEST_CASE("module: a host disconnect drops a partial line") {
  auto rig = module_rig::booted();
  rig->feed("ATE0\r");
  REQUIRE(rig->feed("AT+CFUN=4").empty());
  rig->module.host_disconnected();
  REQUIRE(rig->feed("\rAT+CFUN?\r") == "\r\n+CFUN: 1\r\n\r\nOK\r\n");
}

TEST_CASE("module: timers that are not the agent's go to the service") {
  auto rig = module_rig::booted();
  rig->module.on_timer(timer_id::service_poll);  // must not be taken for an agent timer
  REQUIRE(rig->module.take_output().empty());
}

TEST_CASE("module: with the always-on profile the data call and clock are up after boot, and again after a reboot") {
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  test_support::fake_nv nv{test_support::nv_saves::at_once};
  agent::module_options options;
  options.network_auto = true;
  module_core module(options, timers, clock, nv, {});
  module.power_on();
  timers.fire(timer_id::boot, module);
  REQUIRE(module.take_output() == boot_banner);  // nothing printed for the automatic attach
  module.feed("ATE0\r");
  module.take_output();
  module.feed("AT+CAPNET?\r");
  CHECK(module.take_output().find("+CAPNET: 1,1") != std::string::npos);
  module.feed("AT+ADA=\"status\"\r");
  CHECK(module.take_output() == "\r\n+ADA: \"status\",15,1\r\n\r\nOK\r\n");  // only the config is missing
  module.feed("AT+CFUN=1,1\r");
  module.take_output();
  timers.fire(timer_id::boot, module);
  module.take_output();
  module.feed("AT+ADA=\"status\"\r");  // echo is back on after the reboot
  CHECK(module.take_output() == "AT+ADA=\"status\"\r\r\n+ADA: \"status\",15,1\r\n\r\nOK\r\n");
}
