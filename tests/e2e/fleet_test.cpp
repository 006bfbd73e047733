// sim7600-fleet as a user and a CI job drive it (SPEC §9, fleet/README.md): a fleet brought up and stopped by a
// signal, started again on its folder; one of its modules run alone by sim7600-emu; a module driven by a person on
// a PTY inside the fleet; bad input refused before anything starts; and the CI run — 200 modules, a module OTA
// campaign and faults, against the embedded service, its summary matching the service's job counters.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "harness/harness.hpp"
#include "harness/running_program.hpp"

using namespace e2e;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string fleet_binary() { return program_beside_me("sim7600-fleet"); }

std::string write_file(const temp_dir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Making a module costs an RSA key (~0.2 s of CPU) and each boots for 2 s: a small fleet is ready within this.
constexpr milliseconds small_fleet_ready = 90s;

// The JSON summary a fleet prints last on stdout (pretty-printed, after its messages and progress lines).
json summary_in(const std::string& out) {
  const auto at = out.rfind("\n{\n");
  if (at == std::string::npos) return json();
  return json::parse(out.substr(at + 1), nullptr, false);
}

// The module folders of a fleet's STATE-DIR (named by DSN), sorted.
std::vector<std::string> dsns_in(const fs::path& state) {
  std::vector<std::string> dsns;
  for (const auto& entry : fs::directory_iterator(state))
    if (entry.is_directory() && entry.path().filename() != "ads-sim") dsns.push_back(entry.path().filename());
  std::sort(dsns.begin(), dsns.end());
  return dsns;
}

// Runs a fleet of `count` modules on `file` to its end, its JUnit written to fleet.xml in `dir`.
finished_run run_fleet_file(const temp_dir& dir, const fs::path& state, int count, const std::string& file,
                            milliseconds deadline) {
  const std::string junit = (dir.path() / "fleet.xml").string();
  return run_to_exit(fleet_binary(),
                     {"--state-dir", state.string(), "--count", std::to_string(count), "--junit", junit, file},
                     deadline);
}

// Stops a running fleet with SIGTERM: it exits 0, its summary counting `count` modules, all as expected.
void stopped_as_expected(running_program& fleet, int count) {
  CHECK(fleet.terminate(60s) == 0);
  const json summary = summary_in(fleet.out());
  CHECK(summary.value("modules", 0) == count);
  CHECK(summary.value("as_expected", 0) == count);
}

// Runs a fleet of `count` modules without a fleet file until it is ready, then stops it with SIGTERM; returns the
// summary it printed. `more`: flags after --state-dir and --count.
json ready_then_stopped(const fs::path& state, int count, const std::vector<std::string>& more = {}) {
  std::vector<std::string> args = {"--state-dir", state.string(), "--count", std::to_string(count)};
  args.insert(args.end(), more.begin(), more.end());
  running_program fleet(fleet_binary(), args);
  const auto ready = fleet.line_starting("sim7600-fleet ready:", small_fleet_ready);
  INFO(fleet.out() << fleet.err());
  CHECK(ready == "sim7600-fleet ready: " + std::to_string(count) + " modules listening");
  CHECK(fleet.terminate(60s) == 0);
  return summary_in(fleet.out());
}

// Two modules made in `state` (a fleet brought up once and stopped): their DSNs, sorted.
std::vector<std::string> two_made_modules(const fs::path& state) {
  ready_then_stopped(state, 2);
  std::vector<std::string> dsns = dsns_in(state);
  REQUIRE(dsns.size() == 2);
  return dsns;
}

}  // namespace

TEST_CASE("fleet: 3 modules without a fleet file listen until SIGTERM, then a summary, and a second start takes "
          "the same modules", "[e2e][fleet]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  const json first = ready_then_stopped(state, 3);
  INFO(first.dump(2));
  CHECK(first.value("modules", 0) == 3);
  CHECK(first.value("as_expected", 0) == 3);
  CHECK(first.value("not_as_expected", -1) == 0);
  CHECK(first["ota_jobs"] == json({{"module", nullptr}, {"host", nullptr}}));

  const std::vector<std::string> dsns = dsns_in(state);
  REQUIRE(dsns.size() == 3);
  for (const std::string& dsn : dsns) {
    CHECK(std::regex_match(dsn, std::regex("AC000W[0-9]{9}")));
    CHECK_FALSE(fs::is_empty(state / dsn));  // its NV
  }
  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(state)) entries.push_back(entry.path().filename());
  std::sort(entries.begin(), entries.end());
  CHECK(entries == std::vector<std::string>{dsns[0], dsns[1], dsns[2], "ads-sim", "fleet.json"});
  CHECK(fs::exists(state / "ads-sim" / "ca.pem"));
  // fleet.json holds the OEM's secret: only its owner reads it.
  CHECK(fs::status(state / "fleet.json").permissions() == (fs::perms::owner_read | fs::perms::owner_write));

  // Started again on the same folder: the same modules, none made.
  running_program again(fleet_binary(), {"--state-dir", state.string(), "--count", "3"});
  CHECK(again.line_starting("sim7600-fleet ready:", small_fleet_ready) == "sim7600-fleet ready: 3 modules listening");
  CHECK(again.terminate(60s) == 0);
  INFO(again.out());
  CHECK(again.out().find("new modules") == std::string::npos);
  CHECK(dsns_in(state) == dsns);
  CHECK(summary_in(again.out()).value("as_expected", 0) == 3);
}

TEST_CASE("fleet: a module's folder runs alone in sim7600-emu against the fleet's service data", "[e2e][fleet]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  const std::string dsn = two_made_modules(state).front();

  // The fleet's embedded service, now as its own daemon on the same data.
  running_program service(program_beside_me("ads-sim"),
                          {"--data-dir", (state / "ads-sim").string(), "--listen", "127.0.0.1:0"});
  const auto ready = service.line_starting("ads-sim ready: ");
  INFO(service.err());
  REQUIRE(ready);
  std::smatch words;
  REQUIRE(std::regex_match(*ready, words, std::regex(R"(ads-sim ready: (https://\S+) ca (\S+))")));
  CHECK(words[2] == (state / "ads-sim" / "ca.pem").string());

  const fs::path link = dir.path() / "ttySIM7600";
  running_program module(emulator_binary(), {"--state-dir", (state / dsn).string(), "--ads-url", words[1],
                                             "--ads-ca", words[2], "--network", "auto", "--pty-link", link.string(),
                                             "--boot-ms", "50"});
  INFO(module.err());
  const auto module_ready = module.line_starting("sim7600-emu ready: ");
  REQUIRE(module_ready == "sim7600-emu ready: pty " + fs::read_symlink(link).string() + " link " + link.string());
  host_port port = host_port::open_tty(link);
  CHECK(port.read_until("PB DONE\r\n") == boot_urcs);
  start_service(port);
  CHECK(port.command("AT+ADA=\"enable\"") == "AT+ADA=\"enable\"\r\r\nOK\r\n");
  CHECK(port.command("AT+ADA=\"l\"") == "AT+ADA=\"l\"\r\r\nOK\r\n");
  CHECK(port.read_until("\r\n+ADA: \"l\",\"up\"\r\n", 30s).ends_with("\r\n+ADA: \"l\",\"up\"\r\n"));
  CHECK(port.command("AT+ADA=\"cg\",\"id/dev_id\"") ==
        "AT+ADA=\"cg\",\"id/dev_id\"\r\r\n+ADA: \"cg\",\"id/dev_id\",\"" + dsn + "\"\r\n\r\nOK\r\n");
  CHECK(module.terminate() == 0);
  CHECK(service.terminate() == 0);
}

TEST_CASE("fleet: a module given a PTY link (--port DSN=PATH) is driven by a person while the others listen",
          "[e2e][fleet]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  const std::string dsn = two_made_modules(state).front();
  const fs::path link = dir.path() / "ttyFLEET";

  running_program fleet(fleet_binary(),
                        {"--state-dir", state.string(), "--count", "2", "--port", dsn + "=" + link.string()});
  const auto on = fleet.line_starting("sim7600-fleet: " + dsn + " on ");
  INFO(fleet.out() << fleet.err());
  REQUIRE(on);
  CHECK(*on == "sim7600-fleet: " + dsn + " on pty " + fs::read_symlink(link).string() + " link " + link.string());
  CHECK(fleet.line_starting("sim7600-fleet ready:", small_fleet_ready) == "sim7600-fleet ready: 2 modules listening");

  // The person's module waits for its host: nothing brought it up.
  host_port port = host_port::open_tty(link);
  CHECK(port.command("AT").ends_with("AT\r\r\nOK\r\n"));  // after the boot URCs, if the PTY kept them
  CHECK_THAT(port.command("AT+ADA=\"status\""),
             Catch::Matches("AT\\+ADA=\"status\"\r\r\n\\+ADA: \"status\",[0-9]+(,[0-9]+)?\r\n\r\nOK\r\n"));
  start_service(port);
  CHECK(port.command("AT+ADA=\"enable\"") == "AT+ADA=\"enable\"\r\r\nOK\r\n");
  CHECK(port.command("AT+ADA=\"l\"") == "AT+ADA=\"l\"\r\r\nOK\r\n");
  CHECK(port.read_until("\r\n+ADA: \"l\",\"up\"\r\n", 30s).ends_with("\r\n+ADA: \"l\",\"up\"\r\n"));
  CHECK(port.command("AT+ADA=\"cg\",\"id/dev_id\"") ==
        "AT+ADA=\"cg\",\"id/dev_id\"\r\r\n+ADA: \"cg\",\"id/dev_id\",\"" + dsn + "\"\r\n\r\nOK\r\n");

  stopped_as_expected(fleet, 2);
  CHECK_FALSE(fs::exists(fs::symlink_status(link)));  // a stopped module has no port
}

TEST_CASE("fleet: a module given a TCP port (--port DSN=HOST:0) is driven over it, one client at a time",
          "[e2e][fleet]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  const std::string dsn = two_made_modules(state).back();

  // Port 0: the system picks a free one, and the fleet's line names it.
  running_program fleet(fleet_binary(),
                        {"--state-dir", state.string(), "--count", "2", "--port", dsn + "=127.0.0.1:0"});
  const auto on = fleet.line_starting("sim7600-fleet: " + dsn + " on ");
  INFO(fleet.out() << fleet.err());
  REQUIRE(on);
  std::smatch where;
  REQUIRE(std::regex_match(*on, where, std::regex("sim7600-fleet: " + dsn + " on tcp 127\\.0\\.0\\.1:([0-9]+)")));
  const auto port_number = static_cast<unsigned short>(std::stoi(where[1]));
  CHECK(fleet.line_starting("sim7600-fleet ready:", small_fleet_ready) == "sim7600-fleet ready: 2 modules listening");

  host_port port = host_port::connect_tcp("127.0.0.1", port_number);
  CHECK(port.command("AT").ends_with("OK\r\n"));
  start_service(port);  // as on a PTY, nothing brought this module up but its client
  CHECK(port.command("AT+ADA=\"cg\",\"id/dev_id\"") ==
        "AT+ADA=\"cg\",\"id/dev_id\"\r\r\n+ADA: \"cg\",\"id/dev_id\",\"" + dsn + "\"\r\n\r\nOK\r\n");
  // Like one cable on a UART: a second client while the first is on is told so and closed.
  host_port second = host_port::connect_tcp("127.0.0.1", port_number);
  CHECK(second.read_until("busy", 10s).find("busy") != std::string::npos);

  stopped_as_expected(fleet, 2);
}

TEST_CASE("fleet: modules too many for one address's source ports connect from several loopback addresses",
          "[e2e][fleet][source_ports]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  ready_then_stopped(state, 40);  // made here, so the run below makes no RSA key

  // A network namespace of its own whose source-port range is 60 ports: the 40 listening modules hold 2 connections
  // each to the service, 80 in all, more than one address has. (A user namespace too, so no privilege is needed.)
  const std::string script = "ip link set lo up && echo '40000 40059' > /proc/sys/net/ipv4/ip_local_port_range && "
                             "exec \"$0\" --state-dir \"$1\" --count 40";
  running_program fleet("unshare", {"--user", "--map-root-user", "--net", "sh", "-c", script, fleet_binary(),
                                    state.string()});
  const auto ready = fleet.line_starting("sim7600-fleet ready:", small_fleet_ready);
  INFO(fleet.out() << fleet.err());
  CHECK(ready == "sim7600-fleet ready: 40 modules listening");
  CHECK(fleet.err().find("sim7600-fleet: 40 modules connect from 127.0.0.1 to 127.0.0.4: up to 160 connections to "
                         "the service, and one address has 60 source ports (net.ipv4.ip_local_port_range "
                         "40000-40059)\n") != std::string::npos);
  stopped_as_expected(fleet, 40);
}

TEST_CASE("fleet: a scenario group's modules each run their file, case after case on a module just booted",
          "[e2e][fleet][scenario]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  // The project's own scenario of the note's §3.5: each case starts the service on a just-booted module, checks its
  // DSN ({dsn} is the module's), sends and is told of properties, and asks the fleet's service for the datapoints.
  // And a file whose every case holds only on a module just booted (the service not started yet).
  const std::string fresh_case = "  - name: fresh\n"
                                 "    steps:\n"
                                 "      - host: |\n"
                                 "          > AT+ADA=\"cg\",\"id/dev_id\"\n"
                                 "          < +ADA: \"cg\",\"err\",7,\"err: service not started\"\n"
                                 "          < ERROR\n"
                                 "          > AT+ADA=\"start\"\n"
                                 "          < OK\n"
                                 "          < +ADA: \"start\",\"done\"\n";
  write_file(dir, "fresh.yaml", "cases:\n" + fresh_case + fresh_case + fresh_case);
  const std::string file = write_file(dir, "scripted.yaml",
                                      "name: scripted rehearsal\n"
                                      "deadline: 5m\n"
                                      "groups:\n"
                                      "  - name: field units\n"
                                      "    count: 2\n"
                                      "  - name: scripted\n"
                                      "    count: 3\n"
                                      "    scenario: " SIM7600_SOURCE_DIR "/scenarios/note_3_05_properties.yaml\n"
                                      "  - name: fresh each case\n"
                                      "    count: 2\n"
                                      "    scenario: fresh.yaml\n");
  const finished_run run = run_fleet_file(dir, state, 7, file, 5min);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  const json summary = summary_in(run.out);
  CHECK(summary["groups"]["scripted"] == json{{"modules", 3}, {"as_expected", 3}, {"not_as_expected", 0}});
  CHECK(summary["groups"]["fresh each case"] == json{{"modules", 2}, {"as_expected", 2}, {"not_as_expected", 0}});
  CHECK(summary["groups"]["field units"]["as_expected"] == 2);
  CHECK(summary.value("as_expected", 0) == 7);
}

TEST_CASE("fleet: a scenario group's failing step ends its modules with the step, the line and the port's transcript",
          "[e2e][fleet][scenario]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  write_file(dir, "wrong.yaml",
             "name: a wrong expectation\n"                     // 1
             "steps:\n"                                        // 2
             "  - host: |\n"                                   // 3
             "      > AT+ADA=\"start\"\n"                      // 4
             "      < OK\n"                                    // 5
             "      < +ADA: \"start\",\"done\"\n"              // 6
             "      > AT+ADA=\"cg\",\"id/dev_id\"\n"           // 7
             "      < +ADA: \"cg\",\"id/dev_id\",\"{dsn}X\"\n");  // 8: never the module's DSN
  const std::string file = write_file(dir, "fleet.yaml",
                                      "name: failing scenario\n"
                                      "groups:\n"
                                      "  - name: scripted\n"
                                      "    scenario: wrong.yaml\n");
  const finished_run run = run_fleet_file(dir, state, 2, file, 3min);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  const json summary = summary_in(run.out);
  CHECK(summary.value("not_as_expected", 0) == 2);
  REQUIRE(summary["failures"].size() == 2);
  for (const json& failure : summary["failures"]) {
    const std::string dsn = failure.value("dsn", "");
    CHECK(failure.value("reason", "") == (dir.path() / "wrong.yaml").string() +
                                             ":8: expected `+ADA: \"cg\",\"id/dev_id\",\"{dsn}X\"`, got `+ADA: "
                                             "\"cg\",\"id/dev_id\",\"" + dsn + "\"`");
  }
  // The JUnit report carries each failed module's transcript: the lines its port said.
  std::ifstream in(dir.path() / "fleet.xml");
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(xml.find("+ADA: &quot;start&quot;,&quot;done&quot;") != std::string::npos);
}

TEST_CASE("fleet: bad input exits 2 with one line before anything starts", "[e2e][fleet]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  const std::string file = write_file(dir, "rehearsal.yaml",
                                      "name: typo\n"             // 1
                                      "groups:\n"                // 2
                                      "  - name: field units\n"  // 3
                                      "    shares: 50%\n");      // 4
  const finished_run typo = run_to_exit(fleet_binary(), {"--state-dir", state.string(), "--count", "3", file});
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err.rfind("sim7600-fleet: " + file + ":4: unknown key 'shares' in a group (it takes ", 0) == 0);
  CHECK(std::count(typo.err.begin(), typo.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(state));  // no module made, no service started

  const finished_run none = run_to_exit(fleet_binary(), {"--state-dir", state.string(), "--count", "0"});
  CHECK(none.exit_code == 2);
  CHECK(none.out.empty());
  CHECK(none.err == "sim7600-fleet: --count wants a number of modules from 1 to 100000, got '0'\n");
  CHECK_FALSE(fs::exists(state));

  const finished_run missing = run_to_exit(fleet_binary(), {"--count", "3"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "sim7600-fleet: --state-dir DIR is required (see --help)\n");

  // A scenario group's file with a step a fleet's module cannot take: its line, before anything starts.
  write_file(dir, "worldly.yaml",
             "name: coverage\n"           // 1
             "steps:\n"                   // 2
             "  - world: coverage lost\n"  // 3
             );
  const std::string worldly = write_file(dir, "scripted.yaml",
                                         "groups:\n"
                                         "  - name: scripted\n"
                                         "    scenario: worldly.yaml\n");
  const finished_run world = run_to_exit(fleet_binary(), {"--state-dir", state.string(), "--count", "3", worldly});
  CHECK(world.exit_code == 2);
  CHECK(world.err == "sim7600-fleet: " + (dir.path() / "worldly.yaml").string() +
                         ":3: a fleet's module takes no world: step (it has no control API; the fleet file's faults "
                         "change its world)\n");
  CHECK_FALSE(fs::exists(state));

  // A --port naming a module the fleet does not run is found once the roster is known: exit 2 all the same.
  const std::string stranger_port = "AC000W999999999=" + (dir.path() / "tty").string();
  const finished_run stranger = run_to_exit(
      fleet_binary(), {"--state-dir", state.string(), "--count", "1", "--port", stranger_port}, small_fleet_ready);
  CHECK(stranger.exit_code == 2);
  CHECK(stranger.err.ends_with("sim7600-fleet: --port AC000W999999999: the fleet runs no module with that DSN\n"));
}

TEST_CASE("fleet: 200 modules take a module OTA through coverage loss, power cuts and dropped calls, as CI runs it",
          "[e2e][fleet][alone]") {
  temp_dir dir;
  const fs::path state = dir.path() / "state";
  const std::string junit = (dir.path() / "fleet.xml").string();
  const std::string summary_file = (dir.path() / "summary.json").string();
  const std::string file = write_file(
      dir, "ci.yaml",
      "name: ci rehearsal\n"
      "deadline: 4m\n"
      "groups:\n"
      "  - name: field units\n"
      "    module_ota: {}\n"
      "campaign:\n"
      "  module_ota:\n"
      "    version: \"LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 "
      "BUILD-183c9ba.132a03a\"\n"
      "    size: 16384\n"
      "    after: 2s\n"
      "faults:\n"
      "  - {fault: coverage_lost, share: 5%, when: {ota: downloading}, for: 5s}\n"
      "  - {fault: power_cut, count: 2, when: {ota: applying}, for: 2s, expect: {module_ota: any}}\n"
      "  - {fault: data_call_dropped, count: 3, when: {at: 3s}}\n");
  // Making 200 modules takes ~45 s of CPU before the file's own deadline starts; the file's deadline ends a run
  // that goes wrong with its reasons, well before this one.
  const std::vector<std::string> args = {"--state-dir", state.string(), "--count", "200", "--seed", "3",
                                         "--junit", junit, "--summary", summary_file, "--json", file};
  const finished_run run = run_to_exit(fleet_binary(), args, 540s);
  INFO(run.out << run.err.substr(run.err.size() > 4000 ? run.err.size() - 4000 : 0));
  CHECK(run.exit_code == 0);
  const json summary = json::parse(run.out, nullptr, false);
  REQUIRE(summary.is_object());
  CHECK(file_contents(summary_file) == run.out);
  CHECK(summary["modules"] == 200);
  CHECK(summary["as_expected"] == 200);
  CHECK(summary["not_as_expected"] == 0);
  CHECK(summary["failures"] == json::array());
  CHECK(summary["counts"]["listening"] == 200);

  // The service's job counters (the console's Device Total, Succeed, Failed) tell what the modules saw.
  const json& job = summary["ota_jobs"]["module"];
  REQUIRE(job.is_object());
  CHECK(job["total"] == 200);
  CHECK(job["processing"] == 0);
  CHECK(job["succeeded"].get<int>() + job["failed"].get<int>() == 200);
  CHECK(job["succeeded"] == summary["ota"]["module"]["succeeded"]);
  CHECK(job["failed"] == summary["ota"]["module"]["failed"]);
  CHECK(summary["ota_jobs"]["host"] == nullptr);

  // 5% of 200 lose coverage while downloading, and every fault struck each module the plan chose.
  CHECK(summary["faults"]["coverage_lost"]["modules"] == 10);
  CHECK(summary["faults"]["power_cut"]["modules"] == 2);
  CHECK(summary["faults"]["data_call_dropped"]["modules"] == 3);
  for (const json& fault : summary["fault_plan"]) {
    INFO(fault.dump());
    CHECK(fault["struck"] == fault["chosen"]);
    // At 3 s a module may be rebooting into its new firmware, with no data call for the network to drop: the
    // world refuses that one. A module downloading always has coverage to lose, one applying power to cut.
    if (fault["fault"] != "data_call_dropped") CHECK(fault["refused"] == 0);
  }

  // JUnit that CI tools read: a suite for the group and one per fault class, nothing failed.
  const finished_run valid = run_to_exit(
      "/usr/bin/xmllint", {"--noout", "--schema", std::string(SIM7600_SOURCE_DIR) + "/tests/e2e/junit.xsd", junit});
  INFO(valid.err << file_contents(junit));
  CHECK(valid.exit_code == 0);
  const auto xpath = [&](const std::string& expression) {
    std::string value = run_to_exit("/usr/bin/xmllint", {"--xpath", expression, junit}).out;
    if (value.ends_with('\n')) value.pop_back();
    return value;
  };
  CHECK(xpath("count(/testsuites/testsuite)") == "4");
  CHECK(xpath("string(/testsuites/@failures)") == "0");
  CHECK(xpath("string(/testsuites/testsuite[1]/@name)") == "group field units");
  CHECK(xpath("string(/testsuites/testsuite[2]/@name)") == "fault coverage_lost");
}

TEST_CASE("fleet: two shards against one ads-sim, merged, count what one unsharded run of the fleet counts",
          "[e2e][fleet][shard]") {
  temp_dir dir;
  device_service service;
  const std::string token = write_file(dir, "admin-token", device_service::admin_token());
  const std::string file = write_file(
      dir, "shards.yaml",
      "name: shard rehearsal\n"
      "deadline: 3m\n"
      "groups:\n"
      "  - {name: field units, share: 70%, module_ota: {}}\n"
      "  - {name: lab units}\n"
      "campaign:\n"
      "  module_ota: {version: \"LE11B01SIM7600M11_NA_OTA_191012 B01V06\", size: 16384, after: 1s}\n"
      "faults:\n"
      "  - {fault: coverage_lost, share: 10%, when: {ota: downloading}, for: 2s}\n"
      "  - {fault: data_call_dropped, count: 3, group: lab units, when: {at: 2s}}\n");
  const auto fleet_args = [&](const std::string& name, const std::vector<std::string>& more) {
    std::vector<std::string> args = {"--state-dir", (dir.path() / name).string(), "--count", "20", "--seed", "5",
                                     "--ads-url", service.url(), "--ads-ca", service.ca_file().string(),
                                     "--admin-token-file", token, "--summary", (dir.path() / (name + ".json")).string(),
                                     "--json"};
    args.insert(args.end(), more.begin(), more.end());
    args.push_back(file);
    return args;
  };
  // The two shards run side by side, each with a STATE-DIR of its own, the second taking its index from the
  // environment as a Kubernetes Indexed Job's pod does; the unsharded run of the same fleet beside them (the runs
  // mostly wait on OTA phases, so side by side they take the time of one).
  running_program whole_run(fleet_binary(), fleet_args("whole", {}));
  running_program shard0(fleet_binary(), fleet_args("shard0", {"--shard", "0/2"}));
  running_program shard1("/usr/bin/env", [&] {
    std::vector<std::string> args = {"JOB_COMPLETION_INDEX=1", fleet_binary()};
    for (auto& arg : fleet_args("shard1", {"--shard", "/2"})) args.push_back(arg);
    return args;
  }());
  const int shard0_exit = shard0.wait(240s), shard1_exit = shard1.wait(240s);
  INFO(shard0.err() << shard1.err());
  CHECK(shard0_exit == 0);
  CHECK(shard1_exit == 0);
  const json part0 = json::parse(shard0.out(), nullptr, false), part1 = json::parse(shard1.out(), nullptr, false);
  REQUIRE(part0.is_object());
  REQUIRE(part1.is_object());
  CHECK(part0["shard"] == json{{"index", 0}, {"count", 2}, {"fleet_modules", 20}});
  CHECK(part1["shard"] == json{{"index", 1}, {"count", 2}, {"fleet_modules", 20}});
  CHECK(part0["modules"] == 10);
  CHECK(part1["modules"] == 10);

  const std::string merged_junit = (dir.path() / "merged.xml").string();
  const finished_run merged_run =
      run_to_exit(fleet_binary(), {"merge", (dir.path() / "shard1.json").string(),
                                   (dir.path() / "shard0.json").string(), "--junit", merged_junit, "--json"});
  INFO(merged_run.err);
  CHECK(merged_run.exit_code == 0);
  const json merged = json::parse(merged_run.out, nullptr, false);
  REQUIRE(merged.is_object());

  const int whole_exit = whole_run.wait(240s);
  INFO(whole_run.err());
  CHECK(whole_exit == 0);
  const json whole = json::parse(whole_run.out(), nullptr, false);
  REQUIRE(whole.is_object());

  // What the plan decides is the same module for module; what the modules did adds up the same.
  for (const char* key : {"modules", "as_expected", "not_as_expected", "groups", "faults", "ota", "failures"}) {
    INFO(key);
    CHECK(merged[key] == whole[key]);
  }
  CHECK(merged["groups"]["field units"]["modules"] == 14);
  CHECK(merged["faults"]["coverage_lost"]["modules"] == 1);
  CHECK(merged["faults"]["data_call_dropped"]["modules"] == 3);
  CHECK(merged["counts"]["listening"] == whole["counts"]["listening"]);
  CHECK(merged["ota_jobs"]["module"]["total"] == 14);  // the field units: the lab units take no module OTA
  CHECK(merged["ota_jobs"]["module"]["total"] == whole["ota_jobs"]["module"]["total"]);
  CHECK(merged["ota_jobs"]["module"]["succeeded"] == whole["ota_jobs"]["module"]["succeeded"]);
  for (std::size_t f = 0; f < 2; ++f) CHECK(merged["fault_plan"][f]["chosen"] == whole["fault_plan"][f]["chosen"]);
  CHECK(merged["passed"] == true);

  // The readable total, and one JUnit for the fleet: a suite per group and per fault class, as one run writes.
  const finished_run told = run_to_exit(
      fleet_binary(), {"merge", (dir.path() / "shard0.json").string(), (dir.path() / "shard1.json").string()});
  CHECK(told.out.rfind("fleet 'shard rehearsal', seed 5, 2 shards: passed\n  all: 20 modules, 20 as expected, 0 not\n",
                       0) == 0);
  const finished_run valid = run_to_exit(
      "/usr/bin/xmllint",
      {"--noout", "--schema", std::string(SIM7600_SOURCE_DIR) + "/tests/e2e/junit.xsd", merged_junit});
  INFO(valid.err << file_contents(merged_junit));
  CHECK(valid.exit_code == 0);
  CHECK(run_to_exit("/usr/bin/xmllint", {"--xpath", "count(/testsuites/testsuite)", merged_junit}).out == "4\n");

  // Not the shards of one run: one line, exit 2.
  const finished_run twice =
      run_to_exit(fleet_binary(), {"merge", (dir.path() / "shard0.json").string(), (dir.path() / "shard0.json").string()});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err == "sim7600-fleet: merge: " + (dir.path() / "shard0.json").string() + " and " +
                         (dir.path() / "shard0.json").string() + " are both shard 0/2\n");
  const finished_run unsharded = run_to_exit(
      fleet_binary(), {"merge", (dir.path() / "shard0.json").string(), (dir.path() / "whole.json").string()});
  CHECK(unsharded.exit_code == 2);

  // A shard's STATE-DIR is its own: another shard, or an unsharded run, is refused on it.
  const finished_run other = run_to_exit(fleet_binary(), fleet_args("shard0", {"--shard", "1/2"}), 60s);
  CHECK(other.exit_code == 1);
  CHECK(other.err.ends_with((dir.path() / "shard0").string() +
                            " holds the modules of shard 0/2 (fleet.json), not 1/2: give each shard its own "
                            "--state-dir\n"));
}

TEST_CASE("fleet: shards share a whole fleet's state dir, each taking every N-th module by DSN and making none",
          "[e2e][fleet][shard]") {
  temp_dir dir;
  device_service service;
  const fs::path state = dir.path() / "state";
  const std::string token = write_file(dir, "admin-token", device_service::admin_token());
  const std::vector<std::string> ads = {"--ads-url", service.url(), "--ads-ca", service.ca_file().string(),
                                        "--admin-token-file", token};
  ready_then_stopped(state, 4, ads);  // the whole fleet, made once
  const std::vector<std::string> dsns = dsns_in(state);
  REQUIRE(dsns.size() == 4);

  const auto shard_args = [&](const std::string& shard, const std::string& count, std::vector<std::string> more) {
    std::vector<std::string> args = {"--state-dir", state.string(), "--count", count, "--shard", shard};
    args.insert(args.end(), ads.begin(), ads.end());
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  // Both shards at once on the one folder: two modules each, and nothing new made.
  running_program shard0(fleet_binary(), shard_args("0/2", "4", {}));
  running_program shard1(fleet_binary(), shard_args("1/2", "4", {}));
  CHECK(shard0.line_starting("sim7600-fleet ready:", small_fleet_ready) == "sim7600-fleet ready: 2 modules listening");
  CHECK(shard1.line_starting("sim7600-fleet ready:", small_fleet_ready) == "sim7600-fleet ready: 2 modules listening");
  INFO(shard0.err() << shard1.err());
  CHECK(shard0.terminate(60s) == 0);
  CHECK(shard1.terminate(60s) == 0);
  CHECK(dsns_in(state) == dsns);

  // Shard 1 of 2 runs the 2nd and 4th by DSN: the 1st is not among its modules, the 2nd is.
  const finished_run not_mine =
      run_to_exit(fleet_binary(), shard_args("1/2", "4", {"--port", dsns[0] + "=" + (dir.path() / "tty").string()}),
                  small_fleet_ready);
  CHECK(not_mine.exit_code == 2);
  CHECK(not_mine.err.ends_with("sim7600-fleet: --port " + dsns[0] + ": the fleet runs no module with that DSN\n"));
  running_program mine(fleet_binary(), shard_args("1/2", "4", {"--port", dsns[1] + "=" + (dir.path() / "tty").string()}));
  CHECK(mine.line_starting("sim7600-fleet ready:", small_fleet_ready) == "sim7600-fleet ready: 2 modules listening");
  CHECK(mine.terminate(60s) == 0);

  // More modules than the folder holds: a shard does not make them (its neighbours would make the same numbers).
  const finished_run short_of = run_to_exit(fleet_binary(), shard_args("0/2", "6", {}), small_fleet_ready);
  CHECK(short_of.exit_code == 1);
  CHECK(short_of.err == "sim7600-fleet: " + state.string() +
                            " holds 4 modules of a whole fleet, fewer than --count 6: a shard takes its part of a fleet "
                            "made before (run it once without --shard), or give each shard its own --state-dir\n");
}
