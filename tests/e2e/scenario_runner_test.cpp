// sim7600-scenario as a CI job runs it: scenarios that must fail do, with the message a user needs (the step's
// file:line, the expected pattern, the last lines on the port); JUnit XML that the CI tools' schema accepts;
// a --transcript session turned into a scenario that replays it, and fails at the one answer changed.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "harness/harness.hpp"

using namespace e2e;

namespace {

std::string runner() { return std::string(SIM7600_BIN_DIR) + "/sim7600-scenario"; }

std::string write_file(const temp_dir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The last line a run printed.
std::string last_line(const std::string& out) {
  std::string text = out;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
}

// Runs one scenario file that must fail; returns what the runner printed, its last line checked.
std::string failing_run(const std::string& file) {
  const finished_run run = run_to_exit(runner(), {file}, 60s);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK(last_line(run.out) == "0 passed, 1 failed");
  return run.out;
}

const std::string passing_case =
    "name: AT answers OK\n"
    "steps:\n"
    "  - host: |\n"
    "      > AT\n"
    "      < OK\n";

}  // namespace

TEST_CASE("a wrong expectation fails at its line, showing the pattern and what the port said", "[e2e][scenario]") {
  temp_dir dir;
  const std::string file = write_file(dir, "wrong.yaml",
                                      "name: the wrong answer\n"   // 1
                                      "steps:\n"                   // 2
                                      "  - host: |\n"              // 3
                                      "      > AT\n"               // 4
                                      "      < ERROR\n");          // 5
  const std::string out = failing_run(file);
  CHECK(out.find("FAIL  " + file + ": the wrong answer") != std::string::npos);
  CHECK(out.find(file + ":5: expected `ERROR`, got `OK`") != std::string::npos);
  CHECK(out.find("last lines on the port:\n      | RDY") != std::string::npos);
  CHECK(out.find("      | AT\n      | OK\n") != std::string::npos);
}

TEST_CASE("a line that does not come within the deadline fails at its line", "[e2e][scenario]") {
  temp_dir dir;
  const std::string file = write_file(dir, "late.yaml",
                                      "name: waits in vain\n"
                                      "steps:\n"
                                      "  - timeout: 300ms\n"
                                      "  - host: |\n"
                                      "      > AT\n"
                                      "      < OK\n"
                                      "      <... +ADA: \"l\",\"up\"\n");  // 7
  CHECK(failing_run(file).find(file + ":7: expected `+ADA: \"l\",\"up\"`, nothing matching came within 300ms") !=
        std::string::npos);
}

TEST_CASE("a host program that exits non-zero fails the case, with its output", "[e2e][scenario]") {
  temp_dir dir;
  const std::string file = write_file(dir, "program.yaml",
                                      "name: the firmware gives up\n"
                                      "steps:\n"
                                      "  - program: [sh, -c, 'echo \"port is $SIM7600_PORT\"; echo giving up; exit 3']\n"
                                      "  - exit: 0\n");  // 4
  const std::string out = failing_run(file);
  CHECK(out.find(file + ":4: the program exited 3, expected 0") != std::string::npos);
  CHECK(out.find("giving up") != std::string::npos);
  CHECK(std::regex_search(out, std::regex("port is /tmp/sim7600-e2e\\.[^/]+/ttySIM7600")));
}

TEST_CASE("a host program on the port: its status and output are checked, its words captured", "[e2e][scenario]") {
  temp_dir dir;
  // A tiny host: asks the module for its version through the port it was given, prints the answer.
  const std::string file = write_file(
      dir, "host.yaml",
      "name: a host program asks for the version\n"
      "steps:\n"
      "  - program: [sh, -c, 'stty -F \"$1\" raw -echo; exec 3<>\"$1\"; printf \"AT+ADA=\\\"version\\\"\\r\" >&3;"
      " timeout 5 head -n 3 <&3 | tr -d \"\\r\"', host, '{port}']\n"
      "  - exit: {status: 0, output: ['+ADA: APCA-{apca} ADA-{_}']}\n"
      "  - host: |\n"
      "      > AT+ADA=\"version\"\n"
      "      < +ADA: APCA-{apca} {_}\n"
      "      < OK\n");
  const finished_run run = run_to_exit(runner(), {file}, 60s);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(last_line(run.out) == "1 passed, 0 failed");
}

TEST_CASE("without --keep-going no case starts after a failure, with it every case runs", "[e2e][scenario]") {
  temp_dir dir;
  const std::string failing = write_file(dir, "a_fail.yaml",
                                         "name: fails\nsteps:\n  - host: |\n      > AT\n      < ERROR\n");
  const std::string passing = write_file(dir, "b_pass.yaml", passing_case);
  const finished_run stop = run_to_exit(runner(), {failing, passing}, 60s);
  CHECK(stop.exit_code == 1);
  CHECK(stop.out.find("(1 cases not run after a failure: --keep-going runs them)\n0 passed, 1 failed") !=
        std::string::npos);
  const finished_run all = run_to_exit(runner(), {"--keep-going", failing, passing}, 60s);
  CHECK(all.exit_code == 1);
  CHECK(last_line(all.out) == "1 passed, 1 failed");
  const finished_run good = run_to_exit(runner(), {passing}, 60s);
  CHECK(good.exit_code == 0);
}

TEST_CASE("a bad scenario file is a failed case naming its line, bad flags exit 2", "[e2e][scenario]") {
  temp_dir dir;
  const std::string bad = write_file(dir, "bad.yaml", "name: typo\nsteps:\n  - hots: '> AT'\n");
  const finished_run run = run_to_exit(runner(), {bad}, 60s);
  CHECK(run.exit_code == 1);
  CHECK(run.out.find(bad + ":3: unknown step 'hots'") != std::string::npos);
  const finished_run flags = run_to_exit(runner(), {"-j", "many", bad}, 60s);
  CHECK(flags.exit_code == 2);
  CHECK(flags.err == "sim7600-scenario: -j wants a number of cases from 1 to 64, got 'many'\n");
  CHECK(run_to_exit(runner(), {(dir.path() / "missing.yaml").string()}, 60s).exit_code == 1);
}

TEST_CASE("JUnit XML validates against the CI tools' schema and carries each case", "[e2e][scenario]") {
  temp_dir dir;
  const std::string passing = write_file(dir, "pass.yaml", passing_case);
  const std::string failing = write_file(dir, "fail.yaml",
                                         "cases:\n"
                                         "  - name: 'fails <here> & \"there\"'\n"
                                         "    steps:\n"
                                         "      - host: |\n"
                                         "          > AT\n"
                                         "          < ERROR\n");
  const std::string xml = (dir.path() / "junit.xml").string();
  const finished_run run = run_to_exit(runner(), {"--keep-going", "-j", "2", "--junit", xml, passing, failing}, 60s);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  const finished_run valid = run_to_exit(
      "/usr/bin/xmllint", {"--noout", "--schema", std::string(SIM7600_SOURCE_DIR) + "/tests/e2e/junit.xsd", xml});
  INFO(valid.err << file_contents(xml));
  CHECK(valid.exit_code == 0);
  const auto count = [&](const std::string& xpath) {
    std::string value = run_to_exit("/usr/bin/xmllint", {"--xpath", xpath, xml}).out;
    if (value.ends_with('\n')) value.pop_back();
    return value;
  };
  CHECK(count("count(/testsuites/testsuite)") == "2");
  CHECK(count("string(/testsuites/@tests)") == "2");
  CHECK(count("string(/testsuites/@failures)") == "1");
  CHECK(count("string(//testcase[failure]/@name)") == "fails <here> & \"there\"");
  CHECK(count("string(//testcase/failure/@message)") == failing + ":6: expected `ERROR`, got `OK`");
  CHECK(count("count(//testcase[not(failure)])") == "1");
}

TEST_CASE("a --transcript session made a scenario by --from-transcript replays, and fails at the answer changed", "[e2e][scenario]") {
  temp_dir dir;
  const std::string transcript = (dir.path() / "session.log").string();
  {
    // A user at minicom: a few commands, one of them answered late (start's URC).
    booted_module m({"--transcript", transcript});
    m.port.command("AT");
    m.port.command("AT+ADA=\"status\"");
    start_service(m.port);
    m.port.command("AT+ADA=\"cg\",\"oem/id\"");
    m.port.command("AT+ADA=\"nope\"");
    m.module.terminate();
  }
  const finished_run made = run_to_exit(runner(), {"--from-transcript", transcript});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK(made.out.find("      > AT+ADA=\"status\"\n      < +ADA: \"status\",15,3\n      < OK\n") != std::string::npos);
  const std::string replay = write_file(dir, "replay.yaml", made.out);
  const finished_run replayed = run_to_exit(runner(), {replay}, 60s);
  INFO(replayed.out);
  CHECK(replayed.exit_code == 0);

  // One answer changed: the replay fails at that line and says what came instead.
  std::string changed = made.out;
  const std::string answer = "      < +ADA: \"status\",15,3\n";
  const std::size_t at = changed.find(answer);
  REQUIRE(at != std::string::npos);
  changed.replace(at, answer.size(), "      < +ADA: \"status\",0\n");
  const int line = static_cast<int>(std::count(changed.begin(), changed.begin() + static_cast<long>(at), '\n')) + 1;
  const std::string broken = write_file(dir, "broken.yaml", changed);
  const finished_run failed = run_to_exit(runner(), {broken}, 60s);
  INFO(failed.out);
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.find(broken + ":" + std::to_string(line) +
                        ": expected `+ADA: \"status\",0`, got `+ADA: \"status\",15,3`") != std::string::npos);
}

TEST_CASE("a scenario against an ads-sim already running, as a CI job starts it", "[e2e][scenario]") {
  device_service service;
  temp_dir dir;
  const std::string token = write_file(dir, "admin-token", device_service::admin_token() + "\n");
  const std::string file = write_file(
      dir, "running.yaml",
      "name: a device on the pipeline's ads-sim\n"
      "cloud: {url: '" + service.url() + "', ca: '" + service.ca_file().string() + "', token_file: '" + token + "'}\n"
      "timeout: 30s\n"
      "steps:\n"
      "  - cloud: factory_device\n"
      "  - host: |\n"
      "      > AT+CGDCONT=6,\"IP\",\"3gnet\"\n"
      "      < OK\n"
      "      > AT+CAPNET=6,1\n"
      "      < OK\n"
      "      < +CAPNET: 6,1\n"
      "      > AT+CHTTPSERV=\"ADD\",\"www.baidu.com\",80,1\n"
      "      < OK\n"
      "      > AT+CHTTPUPDATE\n"
      "      < OK\n"
      "      < +CHTTPUPDATE: 0\n"
      "      > AT+ADA=\"start\"\n"
      "      < OK\n"
      "      < +ADA: \"start\",\"done\"\n"
      "      > AT+ADA=\"cs\",\"id/dev_id\",\"{dsn}\"\n"
      "      < OK\n"
      "      > AT+ADA=\"cs\",\"id/key\",\"{public_key}\"\n"
      "      < OK\n"
      "      > AT+ADA=\"cs\",\"oem/id\",\"{oem_id}\"\n"
      "      < OK\n"
      "      > AT+ADA=\"cs\",\"oem/model\",\"{model}\"\n"
      "      < OK\n"
      "      > AT+ADA=\"cs\",\"oem/secret\",\"{oem_secret}\"\n"
      "      < OK\n"
      "      > AT+ADA=\"cs\",\"server/region\",\"US\"\n"
      "      < OK\n"
      "      > AT+ADA=\"enable\"\n"
      "      < OK\n"
      "      < +ADA: \"enable\",\"RDY\"\n"
      "      > AT+ADA=\"s\",\"Blue_LED\",\"b\",\"1\"\n"
      "      < OK\n"
      "      < +ADA: \"s\",\"Blue_LED\",\"status\",0\n"
      "  - cloud: {expect_datapoint: Blue_LED, value: 1}\n");
  // Two cases on one service at once: each makes its own OEM.
  const finished_run run = run_to_exit(runner(), {"-j", "2", file, file}, 120s);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(last_line(run.out) == "2 passed, 0 failed");
}

TEST_CASE("a world step the control API refuses fails with the reason", "[e2e][scenario]") {
  temp_dir dir;
  const std::string bad_form = write_file(dir, "form.yaml", "name: form\nsteps:\n  - world: coverage sideways\n");
  CHECK(failing_run(bad_form).find(":3: world coverage sideways: usage: coverage lost | coverage restored") !=
        std::string::npos);
  const std::string refused = write_file(dir, "drop.yaml", "name: drop\nsteps:\n  - world: data-call drop 3\n");
  CHECK(failing_run(refused).find(":3: world data-call drop 3 was refused (409): {\"error\":\"context 3 has no data "
                                  "call\"}") != std::string::npos);
}

TEST_CASE("the module's flags take --var values: a CI job names the transcript file of each run", "[e2e][scenario]") {
  temp_dir dir;
  const std::string transcript = (dir.path() / "run 1.log").string();
  const std::string file = write_file(dir, "case.yaml",
                                      "name: AT answers OK, on the record\n"
                                      "module: {args: [--transcript, \"{record}\"]}\n"
                                      "steps:\n"
                                      "  - host: |\n"
                                      "      > ATI\n"
                                      "      < Manufacturer: SIMCOM INCORPORATED\n");
  const finished_run run = run_to_exit(runner(), {"--var", "record=" + transcript, file}, 60s);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  std::ifstream in(transcript, std::ios::binary);
  const std::string recorded((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(recorded.find("> ATI\\r") != std::string::npos);

  // A name no --var gives is the case's failure, not a file named "{record}".
  const std::string out = failing_run(file);
  CHECK(out.find("module args: ") != std::string::npos);
  CHECK(out.find("record") != std::string::npos);
}
