// Host tools nobody here wrote, driving the emulator's port as they would a SIM7600: gammu and comgt. Each must
// get what it asks for, and the only ERRORs in the transcript are for commands the SIM7600 manual does not list.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "e2e_helpers.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {

// What gammu, comgt and TinyGSM probe that the SIM7600 does not have (the manual does not list them), so the
// real module answers ERROR as well: gammu's vendor probes (Siemens, Motorola, Sony Ericsson, Samsung) and
// comgt's Option Wireless commands.
const std::set<std::string> not_in_manual{"AT+MODE=2", "AT+CPROT=?", "AT+SYNCML=?", "AT$TSSPCSW=?", "AT^SBNR=?",
                                          "AT+SPBR=?", "AT+MPBR=?",  "AT_OHWV",     "AT_OSBM?",     "AT_ocst"};

// The command lines of a --transcript that the module answered ERROR ("<time> > AT...\r" then, among the answer
// lines, "<time> < ERROR\r\n").
std::set<std::string> refused_commands(const std::filesystem::path& transcript) {
  std::set<std::string> refused;
  std::istringstream lines(file_contents(transcript));
  std::string last_command;
  for (std::string line; std::getline(lines, line);) {
    auto in = line.find(" > ");
    if (in != std::string::npos) {
      last_command = line.substr(in + 3);
      if (last_command.ends_with("\\r")) last_command.resize(last_command.size() - 2);
    } else if (line.ends_with(" < ERROR\\r\\n")) {
      refused.insert(last_command);
    }
  }
  return refused;
}

// A module with a transcript; the transcript is complete once the module has stopped.
struct transcribed_module {
  temp_dir dir;
  std::filesystem::path transcript = dir.path() / "transcript.txt";
  booted_module m{{"--transcript", transcript.string()}};

  transcribed_module() { m.port.close(); }
  std::set<std::string> refused() {
    m.module.terminate();
    return refused_commands(transcript);
  }
};

}  // namespace

TEST_CASE("gammu --identify, --monitor, sendsms and getallsms find the module, its SIM, phonebooks and SMS", "[e2e][clients]") {
  if (!installed("/usr/bin/gammu")) FAIL("gammu is not installed: run scripts/install-deps.sh");
  transcribed_module t;
  const auto gammurc = t.dir.path() / "gammurc";
  std::ofstream(gammurc) << "[gammu]\ndevice = " << t.m.module.link().string() << "\nconnection = at\n";

  const finished_run identify = run_to_exit("/usr/bin/gammu", {"-c", gammurc.string(), "--identify"}, 30s);
  CAPTURE(identify.out, identify.err);
  CHECK(identify.exit_code == 0);
  CHECK(identify.out.find("Manufacturer         : SIMCOM INCORPORATED\n") != std::string::npos);
  CHECK(identify.out.find("Firmware             : LE11B01SIM7600M11\n") != std::string::npos);
  CHECK(identify.out.find("IMEI                 : 867584030000000\n") != std::string::npos);
  CHECK(identify.out.find("SIM IMSI             : 460011234567890\n") != std::string::npos);

  // gammu stops its monitor loop at AT+CBC: the SIM7600 answers "+CBC: 3.900V", not 27.007's "<bcs>,<bcl>".
  const finished_run monitor = run_to_exit("/usr/bin/gammu", {"-c", gammurc.string(), "--monitor", "1"}, 30s);
  CAPTURE(monitor.out, monitor.err);
  CHECK(monitor.out.find("Enabling info about incoming SMS    : No error.") != std::string::npos);
  CHECK(monitor.out.find("Enabling info about USSD            : No error.") != std::string::npos);
  CHECK(monitor.out.find("SIM phonebook        :   0 used, 250 free") != std::string::npos);
  CHECK(monitor.out.find("Own numbers          :   0 used, 100 free") != std::string::npos);

  // In PDU mode: gammu builds the SMS-SUBMIT, the module takes it after its "> " prompt.
  const finished_run send = run_to_exit(
      "/usr/bin/gammu", {"-c", gammurc.string(), "sendsms", "TEXT", "+8613912345678", "-text", "Hello from gammu"}, 30s);
  CAPTURE(send.out, send.err);
  CHECK(send.exit_code == 0);
  CHECK((send.out + send.err).find("OK, message reference=0") != std::string::npos);
  const finished_run all = run_to_exit("/usr/bin/gammu", {"-c", gammurc.string(), "getallsms"}, 30s);
  CAPTURE(all.out, all.err);
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("0 SMS parts in 0 SMS sequences") != std::string::npos);

  for (const auto& command : t.refused()) {
    INFO(command);
    CHECK(not_in_manual.contains(command));
  }
}

TEST_CASE("comgt info reads the identity", "[e2e][clients]") {
  if (!installed("/usr/bin/comgt")) FAIL("comgt is not installed: run scripts/install-deps.sh");
  transcribed_module t;
  const finished_run run = run_to_exit("/usr/bin/comgt", {"-d", t.m.module.link().string(), "info"}, 60s);
  CAPTURE(run.out, run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("Manufacturer:           SIMCOM INCORPORATED\n") != std::string::npos);
  CHECK(run.out.find("IMEI and Serial Number: 867584030000000\n") != std::string::npos);
  CHECK(run.out.find("Manufacturer's Revision: \nLE11B01SIM7600M") != std::string::npos);

  for (const auto& command : t.refused()) {
    INFO(command);
    CHECK(not_in_manual.contains(command));
  }
}

TEST_CASE("gammu getussd reads the network's USSD answer, dialvoice places a call the far end sees", "[e2e][clients]") {
  if (!installed("/usr/bin/gammu")) FAIL("gammu is not installed: run scripts/install-deps.sh");
  transcribed_module t;
  const auto gammurc = t.dir.path() / "gammurc";
  std::ofstream(gammurc) << "[gammu]\ndevice = " << t.m.module.link().string() << "\nconnection = at\n";
  REQUIRE(run_ctl(t.m.module, {"ussd", "reply", "*100#", "Balance 5.00 EUR"}).exit_code == 0);

  const finished_run ussd = run_to_exit("/usr/bin/gammu", {"-c", gammurc.string(), "getussd", "*100#"}, 30s);
  CAPTURE(ussd.out, ussd.err);
  CHECK(ussd.exit_code == 0);
  CHECK(ussd.out.find("Balance 5.00 EUR") != std::string::npos);

  const finished_run dial = run_to_exit("/usr/bin/gammu", {"-c", gammurc.string(), "dialvoice", "+8613800000000"}, 30s);
  CAPTURE(dial.out, dial.err);
  CHECK(dial.exit_code == 0);
  const finished_run state = run_ctl(t.m.module, {"state", "--json"});
  const auto call = nlohmann::json::parse(state.out)["call"];
  CHECK(call["phase"] == "alerting");
  CHECK(call["number"] == "+8613800000000");
  CHECK(run_ctl(t.m.module, {"call", "reject"}).exit_code == 0);

  for (const auto& command : t.refused()) {
    INFO(command);
    CHECK(not_in_manual.contains(command));
  }
}
