// sim7600-fleet merge: the shards' summaries joined into the whole fleet's, and the refusals a person sees when the
// files are not the shards of one run.
#include <catch2/catch.hpp>

#include "fleet/fleet_merge.hpp"
#include "small_fleet.hpp"

using namespace fleet;
using nlohmann::json;

namespace {

// Shard `index` of `count` of the small fleet as the runner writes it: its summary, the fault plan and the verdict.
json shard_summary_of(fleet_run run, std::size_t index, std::size_t count) {
  run.shard = shard_position{index, count};
  run.fleet_count = 4 * count;
  json summary = summary_json(run);
  summary["fault_plan"] = json::array({{{"fault", "coverage_lost"}, {"line", 9}, {"chosen", 2}, {"struck", 2},
                                        {"refused", 0}}});
  bool passed = true;
  for (const auto& module : run.modules) passed = passed && module.as_expected;
  summary["passed"] = passed;
  return summary;
}

// The small fleet with every module as expected.
fleet_run passing_fleet() {
  fleet_run run = testing::small_fleet();
  run.modules[2] = testing::listening_module("AC000W000000003", "field");
  return run;
}

std::string refusal_of(const std::vector<shard_summary>& shards) {
  const auto merged = merge_summaries(shards);
  REQUIRE_FALSE(merged.ok());
  return merged.error();
}

}  // namespace

TEST_CASE("two shards merged: counts add, groups and faults key by key, failures concatenated", "[fleet][merge]") {
  fleet_run other = passing_fleet();
  other.duration = std::chrono::milliseconds(70000);
  const auto merged = merge_summaries({{"s1.json", shard_summary_of(other, 1, 2)},
                                       {"s0.json", shard_summary_of(testing::small_fleet(), 0, 2)}});
  REQUIRE(merged.ok());
  const json& m = *merged;
  CHECK(m["fleet"] == "rehearsal");
  CHECK(m["seed"] == 7);
  CHECK(m["shard"].is_null());
  CHECK(m["shards"] == 2);
  CHECK(m["fleet_modules"] == 8);
  CHECK(m["modules"] == 8);
  CHECK(m["as_expected"] == 7);
  CHECK(m["not_as_expected"] == 1);
  CHECK(m["duration_ms"] == 70000);  // the shards ran side by side: the longest
  CHECK(m["counts"]["listening"] == 6);
  CHECK(m["counts"]["errors"] == 4);
  CHECK(m["groups"]["field"] == json{{"modules", 6}, {"as_expected", 5}, {"not_as_expected", 1}});
  CHECK(m["groups"]["spare"] == json{{"modules", 0}, {"as_expected", 0}, {"not_as_expected", 0}});
  CHECK(m["faults"]["coverage_lost"] == json{{"modules", 3}, {"as_expected", 2}, {"not_as_expected", 1}});
  CHECK(m["ota"]["module"] == json{{"succeeded", 7}, {"failed", 1}});
  CHECK(m["ota_jobs"]["module"] == json{{"total", 8}, {"processing", 0}, {"succeeded", 6}, {"failed", 2}});
  CHECK(m["ota_jobs"]["host"].is_null());
  CHECK(m["traffic"]["properties_sent"] == 80);
  CHECK(m["failures"].size() == 1);
  CHECK(m["failures"][0]["dsn"] == "AC000W000000003");
  CHECK(m["failures_omitted"] == 0);
  CHECK(m["fault_plan"][0]["chosen"] == 4);
  CHECK(m["fault_plan"][0]["line"] == 9);
  CHECK(m["passed"] == false);  // shard 0 had a module not as expected
}

TEST_CASE("merged: passed only when every shard passed, and a null job beside a real one", "[fleet][merge]") {
  fleet_run no_job = passing_fleet();
  no_job.module_job.reset();
  const auto merged = merge_summaries({{"a", shard_summary_of(passing_fleet(), 0, 2)},
                                       {"b", shard_summary_of(no_job, 1, 2)}});
  REQUIRE(merged.ok());
  CHECK((*merged)["passed"] == true);
  CHECK((*merged)["ota_jobs"]["module"]["total"] == 4);
  json campaign_failed = shard_summary_of(passing_fleet(), 1, 2);
  campaign_failed["campaign_errors"] = {"upload the module image: 503"};
  campaign_failed["passed"] = false;
  const auto failed = merge_summaries({{"a", shard_summary_of(passing_fleet(), 0, 2)}, {"b", campaign_failed}});
  REQUIRE(failed.ok());
  CHECK((*failed)["passed"] == false);
  CHECK((*failed)["campaign_errors"] == json{"shard 1/2: upload the module image: 503"});
}

TEST_CASE("merged failures are listed up to the limit across shards, the rest counted", "[fleet][merge]") {
  std::vector<shard_summary> shards;
  for (std::size_t s = 0; s < 3; ++s) {
    fleet_run run;
    run.name = "big";
    for (int i = 0; i < 60; ++i) {
      module_outcome module;
      module.dsn = "AC" + std::to_string(s) + "-" + std::to_string(i);
      module.group = "all";
      run.modules.push_back(module);
    }
    shards.push_back({"s" + std::to_string(s), shard_summary_of(run, s, 3)});
  }
  const auto merged = merge_summaries(shards);
  REQUIRE(merged.ok());
  CHECK((*merged)["not_as_expected"] == 180);
  CHECK((*merged)["failures"].size() == listed_failures_limit);
  CHECK((*merged)["failures"][60]["dsn"] == "AC1-0");  // shard order
  CHECK((*merged)["failures_omitted"] == 80);
}

TEST_CASE("merge refuses files that are not the shards of one run, saying which", "[fleet][merge]") {
  const json s0 = shard_summary_of(passing_fleet(), 0, 2), s1 = shard_summary_of(passing_fleet(), 1, 2);
  CHECK(refusal_of({{"a.json", s0}, {"b.json", json{{"hello", 1}}}}) ==
        "b.json: not a sim7600-fleet summary (version 1)");
  CHECK(refusal_of({{"a.json", s0}, {"whole.json", summary_json(passing_fleet())}}) ==
        "whole.json: the summary of an unsharded run (no shard: it ran without --shard I/N)");
  json other_seed = s1;
  other_seed["seed"] = 8;
  CHECK(refusal_of({{"a.json", s0}, {"b.json", other_seed}}) ==
        "b.json: seed 8, but a.json has 7: not shards of one run");
  json other_fleet = s1;
  other_fleet["fleet"] = "spring";
  CHECK(refusal_of({{"a.json", s0}, {"b.json", other_fleet}}) ==
        "b.json: fleet \"spring\", but a.json has \"rehearsal\": not shards of one run");
  CHECK(refusal_of({{"a.json", s0}, {"b.json", shard_summary_of(passing_fleet(), 1, 3)}}) ==
        "b.json: shard count 3, but a.json has 2: not shards of one run");
  json other_count = s1;
  other_count["shard"]["fleet_modules"] = 9;
  CHECK(refusal_of({{"a.json", s0}, {"b.json", other_count}}) ==
        "b.json: --count 9, but a.json has 8: not shards of one run");
  CHECK(refusal_of({{"a.json", s0}, {"again.json", s0}}) == "a.json and again.json are both shard 0/2");
  CHECK(refusal_of({{"b.json", s1}}) == "shard 0 of 2 is missing: merge wants every shard's summary");
  std::vector<shard_summary> some;
  for (std::size_t i : {0u, 2u}) some.push_back({"s", shard_summary_of(passing_fleet(), i, 5)});
  CHECK(refusal_of(some) == "shards 1, 3, 4 of 5 are missing: merge wants every shard's summary");
}

TEST_CASE("the merged total for a person, and its JUnit", "[fleet][merge]") {
  const auto merged = merge_summaries({{"a", shard_summary_of(testing::small_fleet(), 0, 2)},
                                       {"b", shard_summary_of(passing_fleet(), 1, 2)}});
  REQUIRE(merged.ok());
  const std::string text = merged_total_text(*merged);
  CHECK(text.rfind("fleet 'rehearsal', seed 7, 2 shards: FAILED\n  all: 8 modules, 7 as expected, 1 not\n", 0) == 0);
  CHECK(text.find("  group field: 6 modules, 5 as expected, 1 not\n") != std::string::npos);
  CHECK(text.find("  fault coverage_lost: 3 modules, 2 as expected, 1 not\n") != std::string::npos);
  CHECK(text.find("  module OTA jobs: 8 devices, 6 succeeded, 2 failed, 0 in progress\n") != std::string::npos);
  CHECK(text.find("  AC000W000000003 (field): expected module OTA succeeded, got failed (download timed out)\n") !=
        std::string::npos);

  const std::string junit = summary_junit(*merged, std::chrono::system_clock::time_point{});
  CHECK(junit.find("<testsuite name=\"group field\"") != std::string::npos);
  CHECK(junit.find("<testsuite name=\"fault coverage_lost\"") != std::string::npos);
  CHECK(junit.find("6 of 6 modules") == std::string::npos);
  CHECK(junit.find("1 of 6 modules did not end as expected") != std::string::npos);
  CHECK(junit.find("<testcase name=\"AC000W000000003\"") != std::string::npos);
}
