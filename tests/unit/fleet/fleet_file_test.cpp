// Fleet files into the fleet model: the README's example as a QA lead writes it, the defaults, and every class of
// mistake refused with the line of the node to blame.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "common/read_file.hpp"
#include "fleet/fleet_file.hpp"

using namespace fleet;
using namespace std::chrono_literals;

namespace {

// The ```yaml blocks of fleet/README.md: the document's example must stay a file the parser takes.
std::vector<std::string> readme_yaml_blocks() {
  const auto readme = common::read_file(std::string(SIM7600_SOURCE_DIR) + "/fleet/README.md");
  REQUIRE(readme);
  std::vector<std::string> blocks;
  std::istringstream lines(*readme);
  std::string line;
  std::string* block = nullptr;
  while (std::getline(lines, line)) {
    if (block && line == "```") {
      block = nullptr;
    } else if (block) {
      *block += line + "\n";
    } else if (line == "```yaml") {
      block = &blocks.emplace_back();
    }
  }
  return blocks;
}

// The error a bad file gets, as "LINE: reason".
std::string refusal(const std::string& text) {
  const auto parsed = parse_fleet_file(text);
  REQUIRE_FALSE(parsed.ok());
  return std::to_string(parsed.error().line) + ": " + parsed.error().reason;
}

// A well-formed start that each refusal test finishes with its own mistake.
const std::string campaign_and_groups =
    "campaign:\n"                                        // 1
    "  module_ota: {version: \"2\"}\n"                   // 2
    "groups:\n"                                          // 3
    "  - {name: field units, share: 90%, module_ota: {}}\n"  // 4
    "  - {name: scripted, scenario: s.yaml}\n";          // 5

}  // namespace

TEST_CASE("the README's full example reads as written", "[fleet][fleet_file]") {
  const auto blocks = readme_yaml_blocks();
  REQUIRE(blocks.size() == 1);
  const auto parsed = parse_fleet_file(blocks[0]);
  INFO((parsed.ok() ? "" : std::to_string(parsed.error().line) + ": " + parsed.error().reason));
  REQUIRE(parsed.ok());
  const fleet_file& file = parsed.value();
  CHECK(file.name == "spring campaign rehearsal");
  CHECK(file.deadline == 15min);

  REQUIRE(file.groups.size() == 3);
  const group& field = file.groups[0];
  CHECK(field.name == "field units");
  CHECK(field.line == 5);
  CHECK(field.share == 0.9);
  CHECK_FALSE(field.count);
  CHECK(field.host == host_kind::bring_up);
  REQUIRE(field.sends.size() == 2);
  CHECK(field.sends[0].name == "Blue_LED");
  CHECK(field.sends[0].type == "b");
  CHECK(field.sends[0].values == std::vector<std::string>{"0", "1"});
  CHECK(field.sends[0].every == 30s);
  CHECK(field.sends[0].jitter == Approx(0.2));
  CHECK(field.sends[1].values == std::vector<std::string>{"21.5", "22.0", "22.5"});
  CHECK(field.sends[1].every == 1min);
  CHECK(field.sends[1].jitter == 0);
  CHECK(field.read_back == std::vector<std::string>{"Green_LED"});
  REQUIRE(field.module_ota);
  CHECK(field.module_ota->chunk == 12800);
  CHECK(field.module_ota->mcu_mode == "1");
  REQUIRE(field.host_ota);
  CHECK(field.host_ota->window == 1024);
  CHECK(field.expect.listening);
  CHECK(field.expect.module_ota == ota_expectation::succeeded);
  CHECK(field.expect.host_ota == ota_expectation::succeeded);

  const group& lab = file.groups[1];
  CHECK(lab.name == "lab units");
  CHECK_FALSE(lab.share);
  CHECK_FALSE(lab.count);
  CHECK(lab.expect.module_ota == ota_expectation::any);
  CHECK(lab.expect.host_ota == ota_expectation::none);

  const group& scripted = file.groups[2];
  CHECK(scripted.count == 5u);
  CHECK(scripted.host == host_kind::scenario);
  CHECK(scripted.scenario_file == "../scenarios/note_3_05_properties.yaml");
  CHECK(scripted.expect.module_ota == ota_expectation::none);

  REQUIRE(file.jobs.module_ota);
  CHECK(file.jobs.module_ota->version.rfind("LE11B01SIM7600M11", 0) == 0);
  CHECK(file.jobs.module_ota->size == 307200);
  CHECK(file.jobs.module_ota->after == 10s);
  REQUIRE(file.jobs.host_ota);
  CHECK(file.jobs.host_ota->version == "2.0");
  CHECK(file.jobs.host_ota->size == 65536);
  CHECK(file.jobs.host_ota->after == 0s);

  REQUIRE(file.faults.size() == 6);
  const fault& coverage = file.faults[0];
  CHECK(coverage.kind == fault_kind::coverage_lost);
  CHECK(coverage.share == Approx(0.05));
  CHECK(coverage.when.phase == ota_phase::downloading);
  CHECK_FALSE(coverage.when.at);
  CHECK(coverage.lasting == 20s);
  CHECK(file.faults[1].kind == fault_kind::power_cut);
  CHECK(file.faults[1].when.phase == ota_phase::applying);
  CHECK(file.faults[1].lasting == 3s);
  CHECK(file.faults[1].expect.module_ota == ota_expectation::any);
  CHECK_FALSE(file.faults[1].expect.listening);
  CHECK(file.faults[2].kind == fault_kind::data_call_dropped);
  CHECK(file.faults[2].count == 3u);
  CHECK(file.faults[2].when.at == 30s);
  CHECK(file.faults[3].group == "field units");
  CHECK(file.faults[3].lasting == 10s);
  CHECK(file.faults[4].kind == fault_kind::clock_skew);
  CHECK(file.faults[4].skew_seconds == 3600);
  CHECK(file.faults[5].kind == fault_kind::host_silent);
  CHECK(file.faults[5].line == 32);
}

TEST_CASE("the shipped example campaign reads, and a short file takes every default", "[fleet][fleet_file]") {
  const auto example = read_fleet_file(std::string(SIM7600_SOURCE_DIR) + "/fleet/examples/campaign_rehearsal.yaml");
  INFO((example.ok() ? "" : example.error().reason));
  REQUIRE(example.ok());
  CHECK(example->faults.size() == 2);

  const auto parsed = parse_fleet_file(
      "groups:\n"
      "  - name: all\n"
      "    properties: [{name: Blue_LED, type: b, values: [1]}]\n"
      "    module_ota: ~\n"
      "    host_ota: {}\n"
      "campaign: {module_ota: {version: v2}}\n"
      "faults: [{fault: power_cut, count: 1, when: {at: 0s}}]\n");
  REQUIRE(parsed.ok());
  const fleet_file& file = parsed.value();
  CHECK(file.name == "fleet");
  CHECK(file.deadline == 10min);
  CHECK(file.groups[0].sends[0].every == 30s);
  CHECK(file.groups[0].module_ota->chunk == 12800);
  CHECK(file.groups[0].module_ota->mcu_mode.empty());
  CHECK(file.groups[0].host_ota->window == 1024);
  // Takes both, but the campaign starts only the module OTA: nothing to expect of the host's.
  CHECK(file.groups[0].expect.module_ota == ota_expectation::succeeded);
  CHECK(file.groups[0].expect.host_ota == ota_expectation::none);
  CHECK(file.jobs.module_ota->size == 307200);
  CHECK(file.jobs.module_ota->after == 0s);
  CHECK(file.faults[0].lasting == 1s);  // power_cut's off time, as sim7600-ctl's

  const auto bare = parse_fleet_file("name: just bring them up\n");
  REQUIRE(bare.ok());
  REQUIRE(bare->groups.size() == 1);
  CHECK(bare->groups[0].name == "all");
  CHECK_FALSE(bare->groups[0].share);
  CHECK_FALSE(bare->groups[0].count);
  CHECK(bare->groups[0].expect.listening);
}

TEST_CASE("an unknown or repeated key is refused on its line, naming what is allowed there", "[fleet][fleet_file]") {
  CHECK(refusal("name: x\ndeadlines: 5m\n") ==
        "2: unknown key 'deadlines' in a fleet file (it takes name, deadline, groups, campaign, faults)");
  CHECK(refusal("groups:\n  - name: a\n    shares: 90%\n") ==
        "3: unknown key 'shares' in a group (it takes name, share, count, scenario, properties, read_back, "
        "module_ota, host_ota, expect)");
  CHECK(refusal("groups:\n  - name: a\n    properties:\n      - {name: L, type: b, values: [1], evry: 1s}\n") ==
        "4: unknown key 'evry' in a property send (it takes name, type, values, every, jitter)");
  CHECK(refusal("groups:\n  - name: a\n    module_ota: {chunks: 10}\n") ==
        "3: unknown key 'chunks' in module_ota (it takes chunk, mcu_mode)");
  CHECK(refusal("campaign:\n  module_ota:\n    version: v\n    sise: 10\n") ==
        "4: unknown key 'sise' in campaign module_ota (it takes version, size, after)");
  CHECK(refusal(campaign_and_groups + "faults:\n  - {fault: power_cut, count: 1, when: {at: 1s}, lasting: 2s}\n") ==
        "7: unknown key 'lasting' in a fault (it takes fault, share, count, group, when, for, seconds, expect)");
  CHECK(refusal(campaign_and_groups + "faults:\n  - {fault: power_cut, count: 1, when: {after: 1s}}\n") ==
        "7: unknown key 'after' in when (it takes at, ota)");
  CHECK(refusal("groups:\n  - name: a\n    expect: {listenning: true}\n") ==
        "3: unknown key 'listenning' in expect (it takes listening, module_ota, host_ota)");
  CHECK(refusal("name: x\nname: y\n") == "2: 'name' is given twice");
}

TEST_CASE("a share is a percentage above 0 and at most 100", "[fleet][fleet_file]") {
  const auto group_share = [](const std::string& share) {
    return refusal("groups:\n  - {name: a, share: " + share + "}\n  - {name: b}\n");
  };
  CHECK(group_share("0.9") == "2: share is a percentage above 0% up to 100% (5%, 0.5%), not '0.9'");
  CHECK(group_share("90") == "2: share is a percentage above 0% up to 100% (5%, 0.5%), not '90'");
  CHECK(group_share("0%") == "2: share is a percentage above 0% up to 100% (5%, 0.5%), not '0%'");
  CHECK(group_share("101%") == "2: share is a percentage above 0% up to 100% (5%, 0.5%), not '101%'");
  CHECK(group_share("-5%") == "2: share is a percentage above 0% up to 100% (5%, 0.5%), not '-5%'");
  CHECK(group_share("lots%") == "2: share is a percentage above 0% up to 100% (5%, 0.5%), not 'lots%'");
  CHECK(refusal("groups:\n  - name: a\n    properties: [{name: L, type: b, values: [1], jitter: 120%}]\n") ==
        "3: jitter is a percentage from 0% up to 100% (5%, 0.5%), not '120%'");
  CHECK(parse_fleet_file("groups:\n  - {name: a, share: 0.5%}\n  - {name: b}\n").ok());
}

TEST_CASE("groups whose shares and counts cannot divide the fleet are refused", "[fleet][fleet_file]") {
  // Over 100%: the share that tips it over.
  CHECK(refusal("groups:\n  - {name: a, share: 60%}\n  - {name: b, share: 50%}\n") ==
        "3: the groups' shares add up to 110% here, more than 100%");
  // Short of 100% with no group to take the rest: the groups key.
  CHECK(refusal("name: x\ngroups:\n  - {name: a, share: 60%}\n  - {name: b, share: 35%}\n  - {name: c, count: 3}\n") ==
        "2: the groups' shares add up to 95%: they must make 100%, or one group gives neither share nor count and "
        "takes the rest");
  CHECK(refusal("groups:\n  - {name: a}\n  - {name: b, share: 10%}\n  - {name: c}\n") ==
        "4: group 'c' gives neither share nor count, as group 'a' (line 2) does: only one group takes the rest");
  CHECK(refusal("groups:\n  - {name: a, share: 100%}\n  - {name: b}\n") ==
        "3: group 'b' takes the rest, but the other groups' shares already make 100%");
  CHECK(refusal("groups:\n  - {name: a, share: 10%, count: 3}\n") == "2: group 'a' gives share or count, not both");
  CHECK(refusal("groups:\n  - {name: a, count: 0}\n") == "2: count is a whole number of at least 1, not '0'");
  CHECK(refusal("groups:\n  - {name: a, count: 2.5}\n") == "2: count is a whole number of at least 1, not '2.5'");
  CHECK(refusal("groups:\n  - {name: a, count: -3}\n") == "2: count is a whole number of at least 1, not '-3'");
  CHECK(refusal("groups: []\n") == "1: groups is a list of at least one group: - {name: field units, share: 90%}");
  // Thirds written out make exactly 100%.
  CHECK(parse_fleet_file("groups:\n  - {name: a, share: 33.3%}\n  - {name: b, share: 33.3%}\n"
                         "  - {name: c, share: 33.4%}\n")
            .ok());
}

TEST_CASE("every group has a name of its own", "[fleet][fleet_file]") {
  CHECK(refusal("groups:\n  - {name: a}\n  - share: 10%\n") == "3: a group needs a name");
  CHECK(refusal("groups:\n  - {name: field units, share: 50%}\n  - {name: lab, count: 2}\n"
                "  - name: field units\n    share: 50%\n") ==
        "4: a second group named 'field units' (the first is on line 2)");
  CHECK(refusal("groups:\n  - {name: [a, b]}\n") == "2: a group's name is a word or a line of text");
}

TEST_CASE("a built-in host's sends, reads and OTA settings are checked before the run", "[fleet][fleet_file]") {
  const auto sends = [](const std::string& send) { return refusal("groups:\n  - name: a\n    properties:\n" + send); };
  CHECK(sends("      - {name: L, type: x, values: [1]}\n") ==
        "4: type is b, i, d or s (as AT+ADA=\"s\" takes it), not 'x'");
  CHECK(sends("      - {name: L, type: b, values: [0, on]}\n") == "4: 'on' is not a value of type b (0 or 1)");
  CHECK(sends("      - {name: L, type: i, values: [1.5]}\n") == "4: '1.5' is not a value of type i (a whole number)");
  CHECK(sends("      - {name: L, type: d, values: [warm]}\n") ==
        "4: 'warm' is not a value of type d (a decimal number)");
  CHECK(sends("      - {name: L, type: b, values: []}\n") == "4: values is a list of at least one value: [0, 1]");
  CHECK(sends("      - {name: L, type: b}\n") == "4: a property send needs values");
  CHECK(sends("      - {name: L, type: b, values: [1], every: 0s}\n") == "4: every is more than 0s");
  CHECK(sends("      - {name: L, type: b, values: [1], every: 30}\n") ==
        "4: every: '30' is not a duration (250ms, 10s, 2m)");
  CHECK(refusal("groups:\n  - name: a\n    module_ota: {mcu_mode: 2}\n") ==
        "3: mcu_mode is 0 (the module downloads at once) or 1 (it waits for the host's dl)");
  CHECK(refusal("groups:\n  - name: a\n    host_ota: {window: 0}\n") ==
        "3: window is a whole number of at least 1, not '0'");
  CHECK(refusal("groups:\n  - name: a\n    module_ota: yes\n") ==
        "3: module_ota is a mapping: {chunk: 12800, mcu_mode: 1}, or {} for the defaults");
  CHECK(parse_fleet_file("groups:\n  - name: a\n    properties:\n      - {name: T, type: i, values: [-42, 7]}\n"
                         "      - {name: S, type: s, values: [hello, \"two words\"]}\n")
            .ok());
}

TEST_CASE("a scenario group's host is its scenario: built-in host keys are refused there", "[fleet][fleet_file]") {
  CHECK(refusal("groups:\n  - name: scripted\n    scenario: s.yaml\n    properties:\n"
                "      - {name: L, type: b, values: [1]}\n") ==
        "4: group 'scripted' runs a scenario: 'properties' belongs to a group of the built-in host (the scenario is "
        "its host)");
  CHECK(refusal("groups:\n  - {name: scripted, scenario: s.yaml, module_ota: {}}\n") ==
        "2: group 'scripted' runs a scenario: 'module_ota' belongs to a group of the built-in host (the scenario is "
        "its host)");
  // It may still be expected to end an offered OTA: the scenario can take it itself.
  CHECK(parse_fleet_file("campaign: {module_ota: {version: v}}\n"
                         "groups: [{name: s, scenario: s.yaml, expect: {module_ota: succeeded}}]\n")
            .ok());
}

TEST_CASE("an expected end no OTA can reach is refused", "[fleet][fleet_file]") {
  CHECK(refusal("groups:\n  - name: a\n    expect: {module_ota: succeeded}\n") ==
        "3: no OTA can succeed here: the campaign starts no module OTA");
  CHECK(refusal("campaign: {host_ota: {version: v}}\ngroups:\n  - name: a\n    expect: {host_ota: failed}\n") ==
        "4: no OTA can fail here: group 'a' takes no host OTA (host_ota: {} in the group)");
  CHECK(refusal("groups:\n  - name: a\n    expect: {module_ota: done}\n") ==
        "3: module_ota is none, succeeded, failed or any");
  CHECK(refusal("groups:\n  - name: a\n    expect: {listening: yes}\n") == "3: listening is true or false");
  CHECK(parse_fleet_file("groups:\n  - name: a\n    expect: {module_ota: any, listening: false}\n").ok());
}

TEST_CASE("faults: a kind, how many, a known group, one trigger", "[fleet][fleet_file]") {
  const auto with_fault = [](const std::string& fault) { return refusal(campaign_and_groups + "faults:\n" + fault); };
  CHECK(with_fault("  - {fault: coverage_lots, share: 5%, when: {at: 1s}}\n") ==
        "7: unknown fault 'coverage_lots' (coverage_lost, power_cut, data_call_dropped, sim_removed, clock_skew, "
        "host_silent)");
  CHECK(with_fault("  - {share: 5%, when: {at: 1s}}\n") ==
        "7: a fault needs its kind: fault: coverage_lost, power_cut, data_call_dropped, sim_removed, clock_skew or "
        "host_silent");
  CHECK(with_fault("  - {fault: power_cut, when: {at: 1s}}\n") ==
        "7: a fault needs share (5%) or count (3): how many modules it hits");
  CHECK(with_fault("  - {fault: power_cut, share: 5%, count: 2, when: {at: 1s}}\n") ==
        "7: a fault gives share or count, not both");
  CHECK(with_fault("  - {fault: power_cut, count: 1, group: feild units, when: {at: 1s}}\n") ==
        "7: no group named 'feild units' (the groups are 'field units', 'scripted')");
  CHECK(with_fault("  - fault: power_cut\n    count: 1\n    when: {at: 1s, ota: applying}\n") ==
        "9: a fault strikes at a time or at an OTA phase, not both: when has 'at' or 'ota'");
  CHECK(with_fault("  - {fault: power_cut, count: 1}\n") == "7: a fault needs when: {at: 30s} or {ota: downloading}");
  CHECK(with_fault("  - {fault: power_cut, count: 1, when: {}}\n") ==
        "7: when is {at: 30s} or {ota: downloading} (or applying)");
  CHECK(with_fault("  - {fault: power_cut, count: 1, when: {ota: rebooting}}\n") ==
        "7: ota is downloading or applying, not 'rebooting'");
  CHECK(with_fault("  - {fault: power_cut, count: 1, when: {at: soon}}\n") ==
        "7: at: 'soon' is not a duration (250ms, 10s, 2m)");
}

TEST_CASE("a fault's duration, skew and expectation belong to the kinds that take them", "[fleet][fleet_file]") {
  const auto with_fault = [](const std::string& fault) { return refusal(campaign_and_groups + "faults:\n" + fault); };
  CHECK(with_fault("  - {fault: coverage_lost, count: 1, when: {at: 1s}, for: -5s}\n") ==
        "7: for: '-5s' is not a duration (250ms, 10s, 2m)");
  CHECK(with_fault("  - {fault: coverage_lost, count: 1, when: {at: 1s}, for: 0s}\n") == "7: for is more than 0s");
  CHECK(with_fault("  - fault: data_call_dropped\n    count: 1\n    when: {at: 1s}\n    for: 5s\n") ==
        "10: 'for' is for coverage_lost, sim_removed and power_cut, not data_call_dropped");
  CHECK(with_fault("  - {fault: clock_skew, count: 1, when: {at: 1s}}\n") ==
        "7: a clock_skew fault needs seconds: how far the clock jumps (3600, -86400)");
  CHECK(with_fault("  - {fault: clock_skew, count: 1, when: {at: 1s}, seconds: 0}\n") ==
        "7: seconds is how far the clock jumps, a whole number other than 0 (3600, -86400)");
  CHECK(with_fault("  - {fault: power_cut, count: 1, when: {at: 1s}, seconds: 60}\n") ==
        "7: 'seconds' is for clock_skew, not power_cut");
  CHECK(with_fault("  - {fault: power_cut, count: 1, when: {at: 1s}, expect: {host_ota: failed}}\n") ==
        "7: no OTA can fail here: the campaign starts no host OTA");
  const auto skew = parse_fleet_file(campaign_and_groups + "faults:\n"
                                     "  - {fault: clock_skew, count: 1, when: {at: 1s}, seconds: -86400}\n");
  REQUIRE(skew.ok());
  CHECK(skew->faults[0].skew_seconds == -86400);
}

TEST_CASE("a fault at an OTA phase no module it may hit reaches is an impossible fault", "[fleet][fleet_file]") {
  CHECK(refusal("groups: [{name: a, module_ota: {}}]\n"
                "faults:\n  - {fault: coverage_lost, share: 5%, when: {ota: downloading}}\n") ==
        "3: impossible fault: the campaign starts no OTA (campaign: module_ota or host_ota), so no module reaches "
        "downloading");
  CHECK(refusal("campaign: {module_ota: {version: v}}\ngroups: [{name: a, host_ota: {}}]\n"
                "faults:\n  - {fault: power_cut, share: 1%, when: {ota: applying}}\n") ==
        "4: impossible fault: no group takes an OTA the campaign starts (module_ota: {} or host_ota: {} in a "
        "group), so no module reaches applying");
  CHECK(refusal(campaign_and_groups +
                "faults:\n  - {fault: coverage_lost, count: 1, group: scripted, when: {ota: downloading}}\n") ==
        "7: impossible fault: group 'scripted' takes no OTA the campaign starts (module_ota: {} or host_ota: {} in "
        "the group), so no module reaches downloading");
  // A host OTA campaign and a group taking it is enough.
  CHECK(parse_fleet_file("campaign: {host_ota: {version: v}}\ngroups: [{name: a, host_ota: {}}]\n"
                         "faults: [{fault: host_silent, count: 1, when: {ota: downloading}}]\n")
            .ok());
}

TEST_CASE("YAML that does not parse, or is not a mapping, is refused with its line", "[fleet][fleet_file]") {
  const auto broken = parse_fleet_file("name: x\ngroups:\n  - {name: [a\n");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().line >= 3);
  CHECK_FALSE(broken.error().reason.empty());
  CHECK(refusal("- a\n- b\n") == "1: a fleet file is a mapping (name, deadline, groups, campaign, faults)");
  CHECK(refusal("") == "1: a fleet file is a mapping (name, deadline, groups, campaign, faults)");
  CHECK(refusal("deadline: 0s\n") == "1: deadline is more than 0s");
}

TEST_CASE("read_fleet_file names the file, and finds a scenario beside it", "[fleet][fleet_file]") {
  const auto folder = std::filesystem::temp_directory_path() / ("fleet_file_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder / "cases");
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(folder / name) << text;
    return folder / name;
  };
  write("cases/s.yaml", "name: s\nsteps: []\n");

  const auto good = read_fleet_file(write("good.yaml", "groups: [{name: s, scenario: cases/s.yaml}]\n"));
  REQUIRE(good.ok());
  CHECK(good->groups[0].scenario_file == (folder / "cases/s.yaml").string());

  const auto missing = read_fleet_file(write("missing.yaml", "name: x\ngroups: [{name: s, scenario: nope.yaml}]\n"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().reason == (folder / "missing.yaml").string() + ":2: group 's': scenario file " +
                                      (folder / "nope.yaml").string() + " cannot be read");

  const auto bad = read_fleet_file(write("bad.yaml", "name: x\nfaults: [{fault: meteor, count: 1}]\n"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().reason.rfind((folder / "bad.yaml").string() + ":2: unknown fault 'meteor'", 0) == 0);

  const auto absent = read_fleet_file(folder / "absent.yaml");
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().reason == (folder / "absent.yaml").string() + ": cannot be read");
  std::filesystem::remove_all(folder);
}
