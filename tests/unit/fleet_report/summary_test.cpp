// The JSON summary scripts read at the end, and `merge` adds up across shards.
#include <catch2/catch.hpp>

#include "small_fleet.hpp"

using namespace fleet;
using nlohmann::json;

TEST_CASE("the summary of a small fleet", "[fleet][summary]") {
  const json expected = json::parse(R"json({
    "version": 1, "fleet": "rehearsal", "seed": 7, "shard": null,
    "modules": 4, "duration_ms": 61500, "as_expected": 3, "not_as_expected": 1,
    "counts": {"booting": 0, "connecting": 0, "listening": 3, "ota_downloading": 0, "ota_applying": 0,
               "ota_succeeded": 3, "ota_failed": 1, "failed": 0, "silent": 0, "errors": 2},
    "groups": {"field": {"modules": 3, "as_expected": 2, "not_as_expected": 1},
               "lab": {"modules": 1, "as_expected": 1, "not_as_expected": 0},
               "spare": {"modules": 0, "as_expected": 0, "not_as_expected": 0}},
    "faults": {"coverage_lost": {"modules": 2, "as_expected": 1, "not_as_expected": 1},
               "power_cut": {"modules": 0, "as_expected": 0, "not_as_expected": 0}},
    "ota": {"module": {"succeeded": 3, "failed": 1}, "host": {"succeeded": 0, "failed": 0}},
    "ota_jobs": {"module": {"total": 4, "processing": 0, "succeeded": 3, "failed": 1}, "host": null},
    "traffic": {"properties_sent": 40, "properties_acked": 36, "to_device_read": 8, "retries": 4},
    "failures": [{"dsn": "AC000W000000003", "group": "field", "faults": ["coverage_lost"],
                  "reason": "expected module OTA succeeded, got failed (download timed out)"}],
    "failures_limit": 100, "failures_omitted": 0
  })json");
  CHECK(summary_json(testing::small_fleet()) == expected);
}

TEST_CASE("a shard says which part of the fleet it ran", "[fleet][summary]") {
  fleet_run run = testing::small_fleet();
  run.shard = shard_position{2, 4};
  run.fleet_count = 14;
  CHECK(summary_json(run)["shard"] == json{{"index", 2}, {"count", 4}, {"fleet_modules", 14}});
}

TEST_CASE("failures are listed up to the limit and the rest counted", "[fleet][summary]") {
  fleet_run run;
  for (int i = 0; i < 150; ++i) {
    module_outcome module;
    module.dsn = "AC" + std::to_string(1000 + i);
    module.group = "all";
    run.modules.push_back(module);  // as_expected false, no reason given
  }
  const json summary = summary_json(run);
  CHECK(summary["not_as_expected"] == 150);
  CHECK(summary["failures"].size() == listed_failures_limit);
  CHECK(summary["failures"][0] ==
        json{{"dsn", "AC1000"}, {"group", "all"}, {"faults", json::array()}, {"reason", "did not end as expected"}});
  CHECK(summary["failures_omitted"] == 50);
}

TEST_CASE("a module hit twice by one kind of fault counts once for it", "[fleet][summary]") {
  fleet_run run = testing::small_fleet();
  run.modules[2].faults = {"coverage_lost", "coverage_lost", "sim_removed"};
  const json summary = summary_json(run);
  CHECK(summary["faults"]["coverage_lost"] == json{{"modules", 2}, {"as_expected", 1}, {"not_as_expected", 1}});
  CHECK(summary["faults"]["sim_removed"] == json{{"modules", 1}, {"as_expected", 0}, {"not_as_expected", 1}});
}

TEST_CASE("--modules writes a JSON line per module, the reason only for one not as expected", "[fleet][summary]") {
  const std::string text = module_lines(testing::small_fleet());
  std::vector<json> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    REQUIRE(end != std::string::npos);  // every line ends with a newline
    lines.push_back(json::parse(text.substr(at, end - at)));
    at = end + 1;
  }
  REQUIRE(lines.size() == 4);
  CHECK(lines[2] == json::parse(R"json({
    "dsn": "AC000W000000003", "group": "field", "faults": ["coverage_lost"], "listening": false, "as_expected": false,
    "reason": "expected module OTA succeeded, got failed (download timed out)",
    "ota": {"module": "failed", "host": "none"},
    "properties_sent": 10, "properties_acked": 9, "to_device_read": 2, "retries": 1})json"));
  CHECK_FALSE(lines[0].contains("reason"));
  CHECK(lines[0]["as_expected"] == true);
}
