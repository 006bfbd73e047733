// The fleet's JUnit XML as a CI tool reads it (junit_outline.py parses it): a suite per group and per fault class,
// failed modules with their reason and transcript tail.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "small_fleet.hpp"

using namespace fleet;

namespace {

// What junit_outline.py prints for the document (or its error, when the document is not XML).
std::string outline_of(const std::string& xml) {
  const auto path = std::filesystem::temp_directory_path() / ("fleet_junit_" + std::to_string(::getpid()) + ".xml");
  std::ofstream(path, std::ios::binary) << xml;
  const std::string command =
      "python3 " SIM7600_SOURCE_DIR "/tests/unit/fleet_report/junit_outline.py " + path.string() + " 2>&1";
  std::string outline;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) outline.append(buffer, n);
    if (::pclose(pipe) != 0) outline += "(the outline script failed)\n";
  }
  std::filesystem::remove(path);
  return outline;
}

}  // namespace

TEST_CASE("JUnit shows which group and which fault failed, and why", "[fleet][junit]") {
  CHECK(outline_of(fleet_junit(testing::small_fleet())) ==
        "group field [rehearsal.group.field] 2 cases, 2 failed\n"
        "  modules ended as expected: 1 of 3 modules did not end as expected\n"
        "    | 3 modules: 2 as expected, 1 not\n"
        "  AC000W000000003: expected module OTA succeeded, got failed (download timed out)\n"
        "    | AT+ADA=\"ota\",\"dl\",\"module\"\n"
        "    | OK\n"
        "    | +ADA: \"ota\",\"error\",\"x<y & \\x01\\xFF\"\n"
        "group lab [rehearsal.group.lab] 1 cases, 0 failed\n"
        "  modules ended as expected: passed\n"
        "group spare [rehearsal.group.spare] 1 cases, 0 failed\n"
        "  modules ended as expected: passed\n"
        "fault coverage_lost [rehearsal.fault.coverage_lost] 2 cases, 2 failed\n"
        "  modules ended as expected: 1 of 2 modules did not end as expected\n"
        "    | 2 modules: 1 as expected, 1 not\n"
        "  AC000W000000003: expected module OTA succeeded, got failed (download timed out)\n"
        "    | AT+ADA=\"ota\",\"dl\",\"module\"\n"
        "    | OK\n"
        "    | +ADA: \"ota\",\"error\",\"x<y & \\x01\\xFF\"\n"
        "fault power_cut [rehearsal.fault.power_cut] 1 cases, 0 failed\n"
        "  modules ended as expected: passed\n");
}

TEST_CASE("a failed module's case says where it was and how it ended", "[fleet][junit]") {
  const std::string xml = fleet_junit(testing::small_fleet());
  CHECK(xml.find("<testsuites name=\"sim7600-fleet\" tests=\"7\" failures=\"4\"") != std::string::npos);
  CHECK(xml.find("timestamp=\"2023-11-14T22:13:20\"") != std::string::npos);
  CHECK(xml.find("type=\"fleet\">expected module OTA succeeded, got failed (download timed out)\n"
                 "group: field\n"
                 "faults: coverage_lost\n"
                 "listening: no\n"
                 "module OTA: failed (download timed out)\n"
                 "host OTA: none\n"
                 "properties sent 10, acked 9, to-device read 2, retries 1</failure>") != std::string::npos);
}

TEST_CASE("a long transcript is cut to its tail at a line start", "[fleet][junit]") {
  fleet_run run = testing::small_fleet();
  std::string transcript;
  for (int line = 0; line < 1000; ++line) transcript += "+CSQ: 20,99 line " + std::to_string(line) + "\r\n";
  run.modules[2].transcript = transcript;
  const std::string xml = fleet_junit(run);
  const std::size_t out = xml.find("<system-out>[");
  REQUIRE(out != std::string::npos);
  const std::size_t from = out + std::string("<system-out>").size();
  const std::string shown = xml.substr(from, xml.find("</system-out>", from) - from);
  const std::string note = shown.substr(0, shown.find('\n') + 1);
  const std::string tail = shown.substr(note.size());
  CHECK(note == "[" + std::to_string(transcript.size() - tail.size()) + " bytes before]\n");
  CHECK(tail.size() <= transcript_tail_bytes);
  CHECK(tail.size() > transcript_tail_bytes - 30);         // cut at the first line start within the bound
  CHECK(tail.rfind("+CSQ: 20,99 line ", 0) == 0);          // a whole line first
  CHECK(transcript.substr(transcript.size() - tail.size()) == tail);  // up to the last byte
}

TEST_CASE("beyond the listed failures one case counts the rest", "[fleet][junit]") {
  fleet_run run;
  run.name = "big";
  for (std::size_t i = 0; i < listed_failures_limit + 5; ++i) {
    module_outcome module;
    module.dsn = "AC" + std::to_string(1000 + i);
    module.group = "all";
    module.reason = "never listened";
    run.modules.push_back(module);
  }
  const std::string outline = outline_of(fleet_junit(run));
  CHECK(outline.find("group all [big.group.all] 102 cases, 102 failed\n"
                     "  modules ended as expected: 105 of 105 modules did not end as expected\n") == 0);
  CHECK(outline.find("  AC1099: never listened\n  more modules not as expected: 5 more modules did not end as "
                     "expected (listed: the first 100)\n") != std::string::npos);
  CHECK(outline.find("AC1100") == std::string::npos);
}
