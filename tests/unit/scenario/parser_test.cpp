// Scenario files into steps: each step knows its file:line, bad files name the line and the reason.
#include <catch2/catch.hpp>

#include "scenario/scenario_parser.hpp"

using namespace scenario;

TEST_CASE("a host block is one step a line, each with its own line number", "[scenario][parser]") {
  const auto parsed = parse_scenario(
      "name: start\n"             // 1
      "steps:\n"                  // 2
      "  - host: |\n"             // 3
      "      > AT+ADA=\"start\"\n"  // 4
      "      # a comment\n"       // 5
      "      < OK\n"              // 6
      "      <... +ADA: \"start\",\"done\"\n"  // 7
      "  - world: coverage lost\n"  // 8
      "  - timeout: 30s\n",        // 9
      "x.yaml");
  REQUIRE(parsed.ok());
  const auto& steps = parsed.value().cases.at(0).steps;
  REQUIRE(steps.size() == 5);
  CHECK(steps[0].kind == step_kind::send);
  CHECK(steps[0].text == "AT+ADA=\"start\"");
  CHECK(steps[0].where.text() == "x.yaml:4");
  CHECK(steps[1].kind == step_kind::expect_next);
  CHECK(steps[1].where.text() == "x.yaml:6");
  CHECK(steps[2].kind == step_kind::expect_eventually);
  CHECK(steps[2].text == "+ADA: \"start\",\"done\"");
  CHECK(steps[2].where.line == 7);
  CHECK(steps[3].kind == step_kind::world);
  CHECK(steps[3].text == "coverage lost");
  CHECK(steps[3].where.line == 8);
  CHECK(steps[4].kind == step_kind::set_timeout);
  CHECK(steps[4].args == 30000);
}

TEST_CASE("cases inherit the file's settings and may override them", "[scenario][parser]") {
  const auto parsed = parse_scenario(
      "cloud: separate\n"
      "timeout: 5s\n"
      "module: {args: [--network, auto]}\n"
      "cases:\n"
      "  - name: one\n"
      "    steps: [{host: '> AT'}]\n"
      "  - name: two\n"
      "    timeout: 250ms\n"
      "    cloud: embedded\n"
      "    steps: [{host: '> AT'}]\n",
      "f.yaml");
  REQUIRE(parsed.ok());
  const auto& cases = parsed.value().cases;
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].settings.cloud == cloud_kind::separate);
  CHECK(cases[0].settings.timeout == std::chrono::seconds(5));
  CHECK(cases[0].settings.module_args == std::vector<std::string>{"--network", "auto"});
  CHECK(cases[1].settings.cloud == cloud_kind::embedded);
  CHECK(cases[1].settings.timeout == std::chrono::milliseconds(250));
  CHECK(cases[1].steps.at(0).where.text() == "f.yaml:10");
}

TEST_CASE("cloud arguments keep YAML's types: plain numbers are numbers, quoted text stays text", "[scenario][parser]") {
  const auto parsed = parse_scenario("name: n\nsteps:\n  - cloud: {set: Blue_LED, value: 1, version: \"2\"}\n", "c.yaml");
  REQUIRE(parsed.ok());
  const auto& args = parsed.value().cases.at(0).steps.at(0).args;
  CHECK(args["value"] == 1);
  CHECK(args["version"] == "2");
  CHECK(args["set"] == "Blue_LED");
}

TEST_CASE("a world step is a verb line or a state to wait for, output waits for a line of the program", "[scenario][parser]") {
  const auto parsed = parse_scenario(
      "name: n\nsteps:\n  - world: coverage lost\n  - world: {expect: {world: {contexts: {\"6\": {call: dialling}}}}}\n"
      "  - output: \"module OTA {ota}: applying\"\n",
      "w.yaml");
  REQUIRE(parsed.ok());
  const auto& steps = parsed.value().cases.at(0).steps;
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].kind == step_kind::world);
  CHECK(steps[0].text == "coverage lost");
  CHECK(steps[1].kind == step_kind::world);
  CHECK(steps[1].args == nlohmann::json::parse(R"({"expect":{"world":{"contexts":{"6":{"call":"dialling"}}}}})"));
  CHECK(steps[2].kind == step_kind::program_output);
  CHECK(steps[2].text == "module OTA {ota}: applying");
  CHECK(steps[2].where.text() == "w.yaml:5");
}

TEST_CASE("bad files are refused with their file:line and a reason", "[scenario][parser]") {
  const auto reason = [](const std::string& text) {
    const auto parsed = parse_scenario(text, "bad.yaml");
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().reason;
  };
  CHECK(reason("name: n\nsteps:\n  - hots: '> AT'\n") == "bad.yaml:3: unknown step 'hots' (host, timeout, cloud, world, module, program, output, exit)");
  CHECK(reason("name: n\nsteps:\n  - world: {state: {}}\n") ==
        "bad.yaml:3: a world step is a verb line ('coverage lost') or {expect: {...}} (a subset of `sim7600-ctl state`)");
  CHECK(reason("name: n\nsteps:\n  - output: [a, b]\n") ==
        "bad.yaml:3: output is one pattern: a line the program under test prints");
  CHECK(reason("name: n\nsteps:\n  - host: |\n      AT\n") ==
        "bad.yaml:4: a host line starts with '> ' (send), '< ' (expect) or '<... ' (wait for)");
  CHECK(reason("name: n\nsteps:\n  - timeout: soon\n") == "bad.yaml:3: 'soon' is not a duration (250ms, 10s, 2m)");
  CHECK(reason("name: n\nstep: []\n") == "bad.yaml:2: unknown key 'step'");
  CHECK(reason("steps: []\n") == "bad.yaml:1: a case needs a name");
  CHECK(reason("name: [unclosed\n").rfind("bad.yaml:", 0) == 0);
  CHECK(reason("cloud: somewhere\nname: n\nsteps: []\n") == "bad.yaml:1: cloud is embedded, separate, or {url, ca, token_file}");
}
