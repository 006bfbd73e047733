// The SIM7600 command families on the radio world, byte for byte through the module, and the world's events as
// the host sees them on the port.
#include <catch2/catch.hpp>

#include "agent/radio_world.hpp"
#include "agent/voice_call.hpp"
#include "apca/service.hpp"
#include "module_test_rig.hpp"

using agent::radio_world;
using agent::reg_domain;
using agent::world_effects;
using agent_test::error;
using agent_test::just_ok;
using agent_test::ok;
using agent_test::module_rig;
using apca::timer_id;

namespace {

// The module with context 1 dialled through AT+CAPNET and up.
std::unique_ptr<module_rig> module_with_call() {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CGDCONT=1,\"IP\",\"cmnet\";+CAPNET=1,1\r") == just_ok);
  REQUIRE(rig->fire(timer_id::data_call) == "\r\n+CAPNET: 1,1\r\n");
  return rig;
}

}  // namespace

TEST_CASE("commands: identification, the V.250 forms too") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+GMI\r") == ok("SIMCOM INCORPORATED"));
  REQUIRE(rig->feed("AT+GMM\r") == ok("SIMCOM_SIM7600E-L1C"));
  REQUIRE(rig->feed("AT+GMR\r") == ok("LE11B01SIM7600M11"));
  REQUIRE(rig->feed("AT+GSN\r") == ok("867584030000000"));
  REQUIRE(rig->feed("AT+GSN=?\r") == just_ok);
  REQUIRE(rig->feed("AT+GSN?\r") == error);
  REQUIRE(rig->feed("AT+CNUM\r") == ok("+CNUM: \"\",\"13912345678\",129"));
  REQUIRE(rig->feed("AT+CSCS?;+CSCS=\"UCS2\";+CSCS?\r") == "\r\n+CSCS: \"IRA\"\r\n\r\n+CSCS: \"UCS2\"\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CSCS=?\r") == ok("+CSCS: (\"IRA\",\"GSM\",\"UCS2\")"));
  REQUIRE(rig->feed("AT+CSCS=\"EBCDIC\"\r") == error);
}

TEST_CASE("commands: the PIN — AT+CPIN, AT+CLCK, AT+CPWD, AT+SPIC") {
  auto rig = module_rig::quiet();
  rig->feed("AT+CMEE=2\r");
  REQUIRE(rig->feed("AT+CLCK=\"SC\",2\r") == ok("+CLCK: 0"));
  REQUIRE(rig->feed("AT+CPWD=\"SC\",\"1234\",\"4321\"\r") == "\r\n+CME ERROR: operation not allowed\r\n");  // no lock
  REQUIRE(rig->feed("AT+CLCK=\"SC\",1,\"9999\"\r") == "\r\n+CME ERROR: incorrect password\r\n");
  REQUIRE(rig->feed("AT+SPIC\r") == ok("+SPIC: 2,10,3,10"));
  REQUIRE(rig->feed("AT+CLCK=\"SC\",1,\"1234\"\r") == just_ok);
  REQUIRE(rig->feed("AT+SPIC\r") == ok("+SPIC: 3,10,3,10"));
  REQUIRE(rig->feed("AT+CLCK=\"sc\",2\r") == ok("+CLCK: 1"));
  REQUIRE(rig->feed("AT+CPWD=\"SC\",\"1234\",\"4321\"\r") == just_ok);
  REQUIRE(rig->feed("AT+CLCK=\"SC\",3\r") == error);
  REQUIRE(rig->feed("AT+CLCK=\"XX\",2\r") == error);
  REQUIRE(rig->feed("AT+CPWD=?\r") == ok("+CPWD: (\"SC\",8)"));

  // After a reboot the SIM asks for the new PIN; until then it is not registered.
  rig->feed("AT+CRESET\r");
  REQUIRE(rig->fire(timer_id::boot) == "\r\nRDY\r\n\r\n+CPIN: SIM PIN\r\n");
  rig->feed("ATE0;+CMEE=1;+CREG=1\r");
  REQUIRE(rig->feed("AT+CPIN?\r") == ok("+CPIN: SIM PIN"));
  REQUIRE(rig->feed("AT+CREG?\r") == ok("+CREG: 1,0"));
  REQUIRE(rig->feed("AT+CIMI\r") == "\r\n+CME ERROR: 11\r\n");
  REQUIRE(rig->feed("AT+CPMS?\r") == "\r\n+CMS ERROR: 311\r\n");
  REQUIRE(rig->feed("AT+CPIN=\"1234\"\r") == "\r\n+CME ERROR: 16\r\n");
  REQUIRE(rig->feed("AT+CPIN=\"4321\"\r") ==
          "\r\nOK\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n\r\n+CREG: 1\r\n");
  REQUIRE(rig->feed("AT+CPIN=\"4321\"\r") == "\r\n+CME ERROR: 3\r\n");  // nothing is asked now
}

TEST_CASE("commands: three wrong PINs, then the PUK") {
  auto rig = module_rig::quiet();
  rig->module.world_event([](radio_world& world) { return world.sim_lock("1111"); });
  REQUIRE(rig->module.take_output() == "\r\n+CPIN: SIM PIN\r\n");
  rig->feed("AT+CMEE=2\r");
  for (int i = 0; i < 3; ++i) REQUIRE(rig->feed("AT+CPIN=\"0000\"\r") == "\r\n+CME ERROR: incorrect password\r\n");
  REQUIRE(rig->feed("AT+CPIN?;+SPIC\r") == "\r\n+CPIN: SIM PUK\r\n\r\n+SPIC: 0,10,3,10\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CPIN=\"1111\"\r") == "\r\n+CME ERROR: SIM PUK required\r\n");
  REQUIRE(rig->feed("AT+CPIN=\"12345678\",\"2222\"\r") ==
          "\r\nOK\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n");
}

TEST_CASE("commands: no SIM") {
  auto rig = module_rig::quiet();
  rig->module.world_event([](radio_world& world) { return world.sim_removed(); });
  REQUIRE(rig->module.take_output() == "\r\n+CPIN: NOT READY\r\n\r\n+SIMCARD: NOT AVAILABLE\r\n");
  rig->feed("AT+CMEE=2\r");
  REQUIRE(rig->feed("AT+CPIN?\r") == "\r\n+CME ERROR: SIM not inserted\r\n");
  REQUIRE(rig->feed("AT+CSPN?\r") == "\r\n+CME ERROR: SIM not inserted\r\n");
  REQUIRE(rig->feed("AT+CPMS?\r") == "\r\n+CMS ERROR: SIM not inserted\r\n");
  REQUIRE(rig->feed("AT+CREG?;+COPS?\r") == "\r\n+CREG: 0,0\r\n\r\n+COPS: 0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGMI\r") == ok("SIMCOM INCORPORATED"));  // the module itself still answers
  rig->module.world_event([](radio_world& world) { return world.sim_inserted(); });
  REQUIRE(rig->module.take_output() == "\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n");
}

TEST_CASE("commands: the radio — AT+CFUN and AT+CPOF") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CFUN=0;+CFUN?;+CSQ;+CPSI?\r") ==
          "\r\n+CFUN: 0\r\n\r\n+CSQ: 99,99\r\n\r\n+CPSI: NO SERVICE,Low Power Mode\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CFUN=1;+CPSI?\r") ==
          ok("+CPSI: LTE,Online,460-00,0x1816,203106819,266,EUTRAN-BAND3,1300,5,5,-94,-970,-670,14"));
  REQUIRE(rig->feed("AT+CFUN=5\r") == error);
  REQUIRE(rig->feed("AT+CPOF\rAT\r") == just_ok);  // then nothing more
  REQUIRE(rig->feed("AT\r").empty());
  REQUIRE_FALSE(rig->timers.armed.count(timer_id::boot));
  rig->module.power_on();
  REQUIRE(rig->fire(timer_id::boot) == agent_test::boot_banner);
}

TEST_CASE("commands: registration, every <n>, and the URCs of coverage") {
  auto rig = module_with_call();
  rig->feed("AT+CREG=0;+CGREG=1;+CEREG=2\r");
  REQUIRE(rig->feed("AT+CREG?;+CGREG?;+CEREG?\r") ==
          "\r\n+CREG: 0,1\r\n\r\n+CGREG: 1,1\r\n\r\n+CEREG: 2,1,\"1816\",\"0C1B2A03\",7\r\n\r\nOK\r\n");
  rig->module.world_event([](radio_world& world) { return world.coverage_lost(); });
  REQUIRE(rig->module.take_output() == "\r\n+CGREG: 2\r\n\r\n+CEREG: 2\r\n\r\n+CAPNET: 1,0\r\n");
  REQUIRE(rig->feed("AT+CSQ;+CAPNET?;+CPSI?\r") ==
          "\r\n+CSQ: 99,99\r\n\r\n+CAPNET: 1,0\r\n\r\n+CPSI: NO SERVICE,Online\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CAPNET=1,1\r") == error);  // no network to dial
  rig->module.world_event([](radio_world& world) { return world.coverage_restored(); });
  REQUIRE(rig->module.take_output() == "\r\n+CGREG: 1\r\n\r\n+CEREG: 1,\"1816\",\"0C1B2A03\",7\r\n");
  rig->module.world_event([](radio_world& world) { return world.set_registration(reg_domain::eps, 3); });
  REQUIRE(rig->module.take_output() == "\r\n+CEREG: 3\r\n");
  REQUIRE(rig->feed("AT+CEREG=3\r") == error);
}

TEST_CASE("commands: coverage loss takes the ADA agent's link down") {
  auto rig = module_with_call();
  REQUIRE(rig->module.service().current_status().reason != 3);
  rig->module.world_event([](radio_world& world) { return world.coverage_lost(); });
  REQUIRE(rig->module.service().current_status().reason == 3);
}

TEST_CASE("commands: the operator — AT+COPS, AT+CSPN") {
  auto rig = module_rig::quiet();
  rig->module.world_event([](radio_world& world) {
    world.set_operator({"CHN-UNICOM", "UNICOM", "46001", 7});
    return world.set_operator({"CHINA MOBILE", "CMCC", "46000", 7});
  });
  REQUIRE(rig->feed("AT+COPS=?\r") ==
          ok("+COPS: (2,\"CHINA MOBILE\",\"CMCC\",\"46000\",7),(1,\"CHN-UNICOM\",\"UNICOM\",\"46001\",7),,(0-4),(0-2)"));
  REQUIRE(rig->feed("AT+COPS=1,2,\"46001\";+COPS?\r") == ok("+COPS: 1,2,\"46001\",7"));
  REQUIRE(rig->feed("AT+COPS=3,1;+COPS?\r") == ok("+COPS: 1,1,\"UNICOM\",7"));
  REQUIRE(rig->feed("AT+CSPN?\r") == ok("+CSPN: \"CHN-UNICOM\",0"));
  REQUIRE(rig->feed("AT+CMEE=1;+COPS=1,2,\"99999\"\r") == "\r\n+CME ERROR: 30\r\n");
  REQUIRE(rig->feed("AT+COPS=0,0;+COPS?\r") == ok("+COPS: 0,0,\"CHINA MOBILE\",7"));
  REQUIRE(rig->feed("AT+CEREG=1;+COPS=2\r") == "\r\nOK\r\n\r\n+CEREG: 0\r\n");
  REQUIRE(rig->feed("AT+COPS?\r") == ok("+COPS: 2"));
  REQUIRE(rig->feed("AT+COPS=5\r") == error);
}

TEST_CASE("commands: signal and system mode — AT+CSQ, AT+CNMP, AT+CNSMOD") {
  auto rig = module_rig::quiet();
  rig->module.world_event([](radio_world& world) { return world.set_signal(12, 3); });
  REQUIRE(rig->feed("AT+CSQ\r") == ok("+CSQ: 12,3"));
  REQUIRE(rig->feed("AT+CNMP?;+CNSMOD?\r") == "\r\n+CNMP: 2\r\n\r\n+CNSMOD: 0,8\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CNMP=13;+CNSMOD?\r") == ok("+CNSMOD: 0,1"));
  REQUIRE(rig->feed("AT+CNMP=12\r") == error);
  REQUIRE(rig->feed("AT+CNMP=?\r") == ok("+CNMP: (2,9,10,13,14,19,22,38,39,48,51,54,59,60,63,67)"));
  REQUIRE(rig->feed("AT+CNSMOD=1;+CNMP=38\r") == "\r\nOK\r\n\r\n+CNSMOD: 8\r\n");
  REQUIRE(rig->feed("AT+CNMP=38\r") == just_ok);  // no change, no URC
  REQUIRE(rig->feed("AT+CFUN=4\r") == "\r\nOK\r\n\r\n+CNSMOD: 0\r\n");
}

TEST_CASE("commands: the packet domain — AT+CGATT, AT+CGACT, AT+CGPADDR, AT+CGEREP, redefining a context") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CGDCONT=1,\"IP\",\"cmnet\";+CGDCONT=2,\"IPV4V6\",\"ims\"\r") == just_ok);
  REQUIRE(rig->feed("AT+CGATT?;+CGACT?\r") == "\r\n+CGATT: 1\r\n\r\n+CGACT: 1,0\r\n+CGACT: 2,0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGACT=1,1;+CGPADDR\r") == "\r\n+CGPADDR: 1,10.64.0.1\r\n+CGPADDR: 2,0.0.0.0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGPADDR=2\r") == ok("+CGPADDR: 2,0.0.0.0"));
  REQUIRE(rig->feed("AT+CGPADDR=3\r") == error);
  REQUIRE(rig->feed("AT+CGPADDR=?\r") == ok("+CGPADDR: (1,2)"));
  REQUIRE(rig->feed("AT+CGDCONT=1,\"IP\",\"other\"\r") == error);  // it carries a call
  REQUIRE(rig->feed("AT+CGDCONT=2,\"IP\",\"internet\";+CGDCONT?\r") ==
          "\r\n+CGDCONT: 1,\"IP\",\"cmnet\",\"0.0.0.0\",0,0\r\n+CGDCONT: 2,\"IP\",\"internet\",\"0.0.0.0\",0,0\r\n"
          "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGEREP=1;+CGEREP?\r") == ok("+CGEREP: 1,0"));
  rig->module.world_event([](radio_world& world) { return world.data_call_drop(1); });
  REQUIRE(rig->module.take_output() == "\r\n+CGEV: NW PDN DEACT 1\r\n\r\n+CAPNET: 1,0\r\n");
  REQUIRE(rig->feed("AT+CGACT=1\r") == just_ok);  // every defined context
  REQUIRE(rig->feed("AT+CGATT=0;+CGATT?;+CGACT?\r") ==
          "\r\n+CGATT: 0\r\n\r\n+CGACT: 1,0\r\n+CGACT: 2,0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CMEE=1;+CGACT=1,5\r") == "\r\n+CME ERROR: 3\r\n");
  REQUIRE(rig->feed("AT+CGACT=1,1;+CGATT?\r") == ok("+CGATT: 1"));  // activation attaches
  REQUIRE(rig->feed("AT+CGACT=0,1;+CGACT?\r") == "\r\n+CGACT: 1,0\r\n+CGACT: 2,0\r\n\r\nOK\r\n");
  rig->module.world_event([](radio_world& world) { return world.coverage_lost(); });
  rig->module.take_output();
  REQUIRE(rig->feed("AT+CGATT=1\r") == "\r\n+CME ERROR: 30\r\n");
}

TEST_CASE("commands: network time and the clock — AT+CTZU, AT+CTZR, AT+CCLK") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CTZU?;+CTZR?\r") == "\r\n+CTZU: 0\r\n\r\n+CTZR: 0\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CTZU=1;+CTZR=1\r") == just_ok);
  REQUIRE(rig->feed("AT+CTZR=2\r") == error);
  REQUIRE(rig->feed("AT+CTZU=?\r") == ok("+CTZU: (0-1)"));
  const std::int64_t now = rig->clock.now;
  rig->module.world_event([now](radio_world& world) { return world.network_time(1704067200, 32, 0, now); });
  REQUIRE(rig->module.take_output() ==
          "\r\n+CTZV: +32\r\n\r\n*PSUTTZ: 2024,1,1,0,0,0,\"+32\",0\r\n\r\nDST: 0\r\n");
  REQUIRE(rig->feed("AT+CCLK?\r") == ok("+CCLK: \"24/01/01,08:00:00+32\""));
  REQUIRE(rig->feed("AT+CCLK=\"25/06/30,23:59:58-20\";+CCLK?\r") == ok("+CCLK: \"25/06/30,23:59:58-20\""));
  rig->clock.now += 2;
  REQUIRE(rig->feed("AT+CCLK?\r") == ok("+CCLK: \"25/07/01,00:00:00-20\""));
  rig->module.world_event([](radio_world& world) { return world.clock_skew(-3600); });
  REQUIRE(rig->feed("AT+CCLK?\r") == ok("+CCLK: \"25/06/30,23:00:00-20\""));
  for (const char* bad : {"AT+CCLK=\"25/13/01,00:00:00+00\"\r", "AT+CCLK=\"25/02/30,00:00:00+00\"\r",
                          "AT+CCLK=\"25/01/01,24:00:00+00\"\r", "AT+CCLK=\"25/01/01,00:00:00\"\r",
                          "AT+CCLK=\"25/01/01,00:00:00+00x\"\r", "AT+CCLK=1\r"}) {
    INFO(bad);
    REQUIRE(rig->feed(bad) == error);
  }
}

TEST_CASE("commands: power — AT+CBC, AT+CPMUTEMP, AT+CADC, and an under-voltage power down") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CBC;+CPMUTEMP\r") == "\r\n+CBC: 3.900V\r\n\r\n+CPMUTEMP: 32\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CADC=2;+CADC=0\r") == "\r\n+CADC: 1800\r\n\r\n+CADC: 3350\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CADC=1\r") == error);
  rig->module.world_event([](radio_world& world) {
    world.temperature(-5);
    return world.battery(3350);
  });
  REQUIRE(rig->module.take_output() == "\r\nUNDER-VOLTAGE WARNNING\r\n");
  REQUIRE(rig->feed("AT+CBC;+CPMUTEMP\r") == "\r\n+CBC: 3.350V\r\n\r\n+CPMUTEMP: -5\r\n\r\nOK\r\n");
  rig->module.world_event([](radio_world& world) { return world.battery(3100); });
  REQUIRE(rig->module.take_output() == "\r\nUNDER-VOLTAGE POWER DOWN\r\n");
  REQUIRE(rig->feed("AT\r").empty());
}

TEST_CASE("commands: what host stacks send at init — AT+CPBS, AT+CNMI, AT+CPMS, AT+CMGF") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CPBS?\r") == ok("+CPBS: \"SM\",0,250"));
  REQUIRE(rig->feed("AT+CPBS=\"ME\";+CPBS?\r") == ok("+CPBS: \"ME\",0,100"));
  REQUIRE(rig->feed("AT+CPBS=\"XX\"\r") == error);
  REQUIRE(rig->feed("AT+CNMI?\r") == ok("+CNMI: 2,1,0,0,0"));
  REQUIRE(rig->feed("AT+CNMI=1,2,0,1,0;+CNMI?\r") == ok("+CNMI: 1,2,0,1,0"));
  REQUIRE(rig->feed("AT+CNMI=1,2,1\r") == error);
  REQUIRE(rig->feed("AT+CNMI=?\r") == ok("+CNMI: (0-3),(0-3),(0,2),(0-2),(0-1)"));
  REQUIRE(rig->feed("AT+CPMS?\r") == ok("+CPMS: \"SM\",0,30,\"SM\",0,30,\"SM\",0,30"));
  REQUIRE(rig->feed("AT+CPMS=\"ME\",\"MT\"\r") == ok("+CPMS: 0,23,0,53,0,30"));
  REQUIRE(rig->feed("AT+CPMS=?\r") ==
          ok("+CPMS: (\"ME\",\"MT\",\"SM\",\"SR\"),(\"ME\",\"MT\",\"SM\",\"SR\"),(\"ME\",\"MT\",\"SM\",\"SR\")"));
  REQUIRE(rig->feed("AT+CMGF?;+CMGF=1;+CMGF?\r") == "\r\n+CMGF: 0\r\n\r\n+CMGF: 1\r\n\r\nOK\r\n");
}

TEST_CASE("commands: phonebook, call and USSD settings — AT+CPBR, AT+CLIP, AT+CRC, AT+CCWA, AT+CUSD, AT+CHUP") {
  auto rig = module_rig::quiet();
  rig->feed("AT+CMEE=2\r");
  REQUIRE(rig->feed("AT+CPBR=?\r") == ok("+CPBR: (1-250),40,14"));
  REQUIRE(rig->feed("AT+CPBR=1,250\r") == just_ok);  // empty
  REQUIRE(rig->feed("AT+CPBS=\"ME\";+CPBR=1,101\r") == "\r\n+CME ERROR: invalid index\r\n");
  REQUIRE(rig->feed("AT+CLIP=1;+CLIP?\r") == ok("+CLIP: 1,1"));
  REQUIRE(rig->feed("AT+CRC=1;+CRC?\r") == ok("+CRC: 1"));
  REQUIRE(rig->feed("AT+CUSD=1;+CUSD?\r") == ok("+CUSD: 1"));
  // The network answers a code nobody set (`ussd reply`/`ussd menu`) with "operation not supported".
  REQUIRE(rig->feed("AT+CUSD=1,\"*100#\",15\r") == "\r\nOK\r\n\r\n+CUSD: 4\r\n");
  REQUIRE(rig->feed("AT+CHUP;+CHUP=?\r") == just_ok);
  REQUIRE(rig->feed("AT+CCWA=1;+CCWA?\r") == ok("+CCWA: 1"));
  REQUIRE(rig->feed("AT+CCWA=1,2\r") == ok("+CCWA: 0,7"));
  REQUIRE(rig->feed("AT+CLIP=2\r") == error);
}

TEST_CASE("commands: AT+CLCK knows the other facilities, which are never locked") {
  auto rig = module_rig::quiet();
  REQUIRE(rig->feed("AT+CLCK=\"PN\",2\r") == ok("+CLCK: 0"));
  REQUIRE(rig->feed("AT+CMEE=1;+CLCK=\"AO\",1,\"0000\"\r") == "\r\n+CME ERROR: 3\r\n");
  REQUIRE(rig->feed("AT+CLCK=?\r") ==
          ok("+CLCK: (\"SC\",\"PN\",\"PU\",\"PP\",\"PC\",\"PF\",\"FD\",\"AO\",\"OI\",\"OX\",\"AI\",\"IR\",\"AB\",\"AG\",\"AC\")"));
}

TEST_CASE("commands: TinyGSM's SIM7600 init and status calls, as a transcript") {
  auto rig = module_rig::booted();
  const std::pair<const char*, const char*> transcript[] = {
      {"AT\r", "AT\r\r\nOK\r\n"},
      {"ATE0\r", "ATE0\r\r\nOK\r\n"},
      {"AT+CMEE=2\r", "\r\nOK\r\n"},
      {"AT+CGMI\r", "\r\nSIMCOM INCORPORATED\r\n\r\nOK\r\n"},
      {"AT+CGMM\r", "\r\nSIMCOM_SIM7600E-L1C\r\n\r\nOK\r\n"},
      {"AT+CTZR=0\r", "\r\nOK\r\n"},
      {"AT+CTZU=1\r", "\r\nOK\r\n"},
      {"AT+CPIN?\r", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
      {"AT+CSQ\r", "\r\n+CSQ: 23,99\r\n\r\nOK\r\n"},
      {"AT+CGREG?\r", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n"},
      {"AT+CGDCONT=1,\"IP\",\"internet\"\r", "\r\nOK\r\n"},
      {"AT+CSPN?\r", "\r\n+CSPN: \"CHINA MOBILE\",0\r\n\r\nOK\r\n"},
      {"AT+CNMP?\r", "\r\n+CNMP: 2\r\n\r\nOK\r\n"},
      {"AT+CNSMOD?\r", "\r\n+CNSMOD: 0,8\r\n\r\nOK\r\n"},
      {"AT+CBC\r", "\r\n+CBC: 3.900V\r\n\r\nOK\r\n"},
      {"AT+CPMUTEMP\r", "\r\n+CPMUTEMP: 32\r\n\r\nOK\r\n"},
      {"AT+CCLK?\r", "\r\n+CCLK: \"23/11/14,22:13:20+00\"\r\n\r\nOK\r\n"},
  };
  for (const auto& [command, answer] : transcript) {
    INFO(command);
    REQUIRE(rig->feed(command) == answer);
  }
  // enableGPS, getGPSraw and getGPS (AT+CGNSSINFO: <mode> 1-3 is a fix) before and after the first fix (a cold
  // start's 35 s of receiver epochs), disableGPS (its OK, then the session's end), poweroff.
  REQUIRE(rig->feed("AT+CGPS=1\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CGNSSINFO\r") == "\r\n+CGNSSINFO: ,,,,,,,,,,,,,,,\r\n\r\nOK\r\n");
  for (int second = 0; second < 35; ++second) REQUIRE(rig->fire(timer_id::gnss).empty());
  const std::string fix = "\r\n+CGNSSINFO: 3,08,00,00,3113.343286,N,12121.234064,E,141123,221320.0,44.1,0.0,,1.2,0.9,0.8"
                          "\r\n\r\nOK\r\n";
  REQUIRE(rig->feed("AT+CGNSSINFO\r") == fix);  // getGPSraw
  REQUIRE(rig->feed("AT+CGNSSINFO\r") == fix);  // getGPS
  REQUIRE(rig->feed("AT+CGPS=0\r") == "\r\nOK\r\n\r\n+CGPS: 0\r\n");
  REQUIRE(rig->feed("AT+CPOF\r") == "\r\nOK\r\n");
}

// What TinyGSM's SIM7600 driver (TinyGsmSMS.tpp, TinyGsmCalling.tpp, callHangup overridden with AT+CHUP) sends for
// sendUSSD, callNumber, callAnswer, callHangup and dtmfSend, with "\r\n" after each command as its sendAT writes,
// and the fields it reads back: sendUSSD takes the text between the first two quotes after "+CUSD:" and the <dcs>
// before the line end, then hex-decodes the text for <dcs> 15. The SIM7600 has no "HEX" character set (AT+CSCS
// answers ERROR), so a GSM 7-bit answer reaches TinyGSM as plain text, as it does from a real module.
TEST_CASE("commands: TinyGSM's SIM7600 sendUSSD, callNumber, callAnswer, callHangup and dtmfSend, as a transcript") {
  auto rig = module_rig::booted();
  rig->module.world_event([](radio_world& world) {
    world.ussd().set_reply("*100#", "Balance 5.00");
    return world_effects{};
  });
  const std::pair<const char*, const char*> ussd[] = {
      {"ATE0\r\n", "ATE0\r\r\nOK\r\n"},
      {"AT+CMEE=0\r\n", "\r\nOK\r\n"},
      {"AT+CMGF=1\r\n", "\r\nOK\r\n"},
      {"AT+CSCS=\"HEX\"\r\n", "\r\nERROR\r\n"},
      {"AT+CUSD=1,\"*100#\"\r\n", "\r\nOK\r\n\r\n+CUSD: 0,\"Balance 5.00\",15\r\n"},
  };
  for (const auto& [command, answer] : ussd) {
    INFO(command);
    REQUIRE(rig->feed(command) == answer);
  }
  // callNumber: OK at once (TinyGSM returns true on it); the far end answers later.
  REQUIRE(rig->feed("ATD+8613912345678;\r\n") == "\r\nOK\r\n");
  REQUIRE(rig->module.call_event_from_network(agent::call_event::far_end_answers));
  REQUIRE(rig->module.take_output() == "\r\nVOICE CALL: BEGIN\r\n");
  // dtmfSend('5'): AT+VTD (not in the SIM7600 manual, its answer ignored), then AT+VTS.
  REQUIRE(rig->feed("AT+VTD=1\r\n") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+VTS=5\r\n") == "\r\nOK\r\n");
  rig->clock.now += 12;
  REQUIRE(rig->feed("AT+CHUP\r\n") == "\r\nOK\r\n\r\nVOICE CALL: END: 000012\r\n");
  // callAnswer after a RING.
  REQUIRE(rig->module.call_event_from_network(agent::call_event::network_offers, "+8613800000000"));
  REQUIRE(rig->module.take_output() == "\r\nRING\r\n");
  REQUIRE(rig->feed("ATA\r\n") == "\r\nOK\r\n\r\nVOICE CALL: BEGIN\r\n");
  REQUIRE(rig->feed("AT+CHUP\r\n") == "\r\nOK\r\n\r\nVOICE CALL: END: 000000\r\n");
  // A busy far end: callNumber saw its OK already; BUSY comes as the call's end.
  REQUIRE(rig->feed("ATD10086;\r\n") == "\r\nOK\r\n");
  REQUIRE(rig->module.call_event_from_network(agent::call_event::far_end_busy));
  REQUIRE(rig->module.take_output() == "\r\nBUSY\r\n");
}

TEST_CASE("commands: bad input to every new command is refused and the port answers AT") {
  auto rig = module_rig::quiet();
  const char* names[] = {"+CPIN",   "+CLCK",  "+CPWD",    "+SPIC",   "+CFUN", "+CPOF",   "+CREG",  "+CGREG",
                         "+CEREG",  "+COPS",  "+CSPN",    "+CSQ",    "+CPSI", "+CNMP",   "+CNSMOD", "+CGDCONT",
                         "+CGATT",  "+CGACT", "+CGPADDR", "+CGEREP", "+CTZU", "+CTZR",   "+CCLK",  "+CBC",
                         "+CPMUTEMP", "+CADC", "+GSN",    "+GMI",    "+GMM",  "+GMR",    "+CNUM",  "+CSCS",
                         "+CPBS",   "+CPBR",  "+CNMI",    "+CPMS",   "+CMGF", "+CSCA",   "+CSMP",  "+CMGS",
                         "+CMGR",   "+CMGL",  "+CMGD",    "+CLIP",   "+CRC",  "+CCWA",   "+CUSD",  "+CHUP",
                         "+CLCC",   "+VTS",   "+CVHU",
                         "+CGPS",   "+CGPSCOLD", "+CGPSWARM", "+CGPSHOT", "+CGPSINFO", "+CGNSSINFO", "+CGPSNMEA",
                         "+CGPSINFOCFG", "+CNTP",   "+CLBS"};
  // Out of range everywhere, a quoted number, a word where a number goes, and more arguments than any takes.
  const char* bad_args[] = {"=999,999,999,999,999,999,999,999,999,999,999,999,999,999,999,999,999,999,999,999,"
                            "999,999,999,999,999",
                            "=\"99999999999999999999999\",\"x\",\"y\",\"z\",\"w\",\"v\",\"u\",\"t\",\"s\",\"r\","
                            "\"q\",\"p\",\"o\",\"n\",\"m\",\"l\",\"k\",\"j\",\"i\",\"h\",\"g\",\"f\",\"e\",\"d\",\"c\",\"b\"",
                            "=\"unterminated"};
  for (const char* name : names) {
    for (const char* args : bad_args) {
      const std::string line = std::string("AT") + name + args + "\r";
      INFO(line);
      CHECK(rig->feed(line).find("OK") == std::string::npos);
      REQUIRE(rig->feed("AT\r") == just_ok);
    }
  }
}
