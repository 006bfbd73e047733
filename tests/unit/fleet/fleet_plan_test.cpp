// The seeded plan: which group each module is in and which modules each fault hits, from the file, --count and
// --seed alone. What a QA lead relies on: sizes that add up, faults only where they can strike, a rerun that hits
// the same modules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "fleet/fleet_file.hpp"
#include "fleet/fleet_plan.hpp"

using namespace fleet;

namespace {

fleet_file file_of(const std::string& yaml) {
  auto parsed = parse_fleet_file(yaml);
  INFO((parsed.ok() ? "" : std::to_string(parsed.error().line) + ": " + parsed.error().reason));
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

fleet_plan plan_of(const fleet_file& file, std::size_t count, std::uint64_t seed) {
  auto plan = plan_fleet(file, count, seed);
  INFO((plan.ok() ? "" : plan.error()));
  REQUIRE(plan.ok());
  return std::move(plan).value();
}

// Each module's group name, in module order.
std::vector<std::string> groups_of(const fleet_file& file, const fleet_plan& plan) {
  std::vector<std::string> names;
  for (const auto& module : plan.modules) names.push_back(file.groups[module.group].name);
  return names;
}

std::map<std::string, std::size_t> sizes_of(const fleet_file& file, const fleet_plan& plan) {
  std::map<std::string, std::size_t> sizes;
  for (const auto& name : groups_of(file, plan)) ++sizes[name];
  return sizes;
}

const std::string rehearsal =
    "campaign: {module_ota: {version: v2}}\n"                           // 1
    "groups:\n"                                                         // 2
    "  - {name: field, share: 90%, module_ota: {}}\n"                   // 3
    "  - {name: lab}\n"                                                 // 4
    "  - {name: scripted, count: 5, scenario: s.yaml}\n"                // 5
    "faults:\n"                                                         // 6
    "  - {fault: coverage_lost, share: 10%, when: {ota: downloading}, expect: {module_ota: any}}\n"  // 7
    "  - {fault: sim_removed, count: 2, group: lab, when: {at: 5s}, expect: {listening: false}}\n"   // 8
    "  - {fault: data_call_dropped, share: 50%, when: {at: 1s}}\n";     // 9

}  // namespace

TEST_CASE("counted groups get their count, shares divide the rest, in consecutive numbers", "[fleet][plan]") {
  const auto file = file_of(rehearsal);
  const auto plan = plan_of(file, 105, 1);
  REQUIRE(plan.modules.size() == 105);
  CHECK(sizes_of(file, plan) == std::map<std::string, std::size_t>{{"field", 90}, {"lab", 10}, {"scripted", 5}});
  const auto names = groups_of(file, plan);
  CHECK(names.front() == "field");
  CHECK(names[89] == "field");
  CHECK(names[90] == "lab");
  CHECK(names[99] == "lab");
  CHECK(names[100] == "scripted");
  CHECK(names.back() == "scripted");
}

TEST_CASE("shares are rounded by largest remainder: the groups always make N", "[fleet][plan]") {
  const auto thirds = file_of("groups:\n  - {name: a, share: 33.3%}\n  - {name: b, share: 33.3%}\n"
                              "  - {name: c, share: 33.4%}\n");
  // 3.33, 3.33, 3.34: the one module left goes to the largest fraction.
  CHECK(sizes_of(thirds, plan_of(thirds, 10, 0)) == std::map<std::string, std::size_t>{{"a", 3}, {"b", 3}, {"c", 4}});
  const auto halves = file_of("groups:\n  - {name: a, share: 50%}\n  - {name: b, share: 50%}\n");
  // 5.5 and 5.5: a tie goes to the earlier group.
  CHECK(sizes_of(halves, plan_of(halves, 11, 0)) == std::map<std::string, std::size_t>{{"a", 6}, {"b", 5}});
  const auto rest = file_of("groups:\n  - {name: a, share: 95%}\n  - {name: b}\n");
  CHECK(sizes_of(rest, plan_of(rest, 10, 0)) == std::map<std::string, std::size_t>{{"a", 10}});
  CHECK(sizes_of(rest, plan_of(rest, 1000, 0)) == std::map<std::string, std::size_t>{{"a", 950}, {"b", 50}});
  for (std::size_t count : {0, 1, 7, 999, 10000})
    CHECK(plan_of(thirds, count, 3).modules.size() == count);
}

TEST_CASE("counts that exceed the fleet, or cannot make it, are refused in one line", "[fleet][plan]") {
  const auto counted = file_of("groups:\n  - {name: a, count: 4}\n  - {name: b, count: 3}\n");
  CHECK(plan_fleet(counted, 5, 0).error() ==
        "the groups' counts add up to 7, more than the fleet's 5 modules (--count)");
  CHECK(plan_fleet(counted, 9, 0).error() ==
        "the groups' counts add up to 7, but the fleet has 9 modules (--count): give one group neither share nor "
        "count to take the rest");
  CHECK(plan_fleet(counted, 7, 0).ok());
  const auto with_rest = file_of("groups:\n  - {name: a, count: 4}\n  - {name: b}\n");
  CHECK(plan_fleet(with_rest, 3, 0).error() ==
        "the groups' counts add up to 4, more than the fleet's 3 modules (--count)");
  CHECK(plan_fleet(with_rest, 4, 0).ok());  // the rest may be no one
}

TEST_CASE("a fault hits only modules it may hit: its group, and for an OTA phase those that take the OTA",
          "[fleet][plan]") {
  const auto file = file_of(rehearsal);
  const auto plan = plan_of(file, 105, 9);
  REQUIRE(plan.fault_hits.size() == 3);
  const auto group_of = [&](std::size_t module) { return file.groups[plan.modules[module].group].name; };

  // 10% of the 90 field modules (the only ones that download), not of the 105.
  CHECK(plan.fault_hits[0].size() == 9);
  for (const auto module : plan.fault_hits[0]) CHECK(group_of(module) == "field");
  CHECK(plan.fault_hits[1].size() == 2);
  for (const auto module : plan.fault_hits[1]) CHECK(group_of(module) == "lab");
  // 50% of 105 is 52.5: a half rounds up.
  CHECK(plan.fault_hits[2].size() == 53);
  std::set<std::string> struck;
  for (const auto module : plan.fault_hits[2]) struck.insert(group_of(module));
  CHECK(struck.size() > 1);
  for (const auto& hits : plan.fault_hits) CHECK(std::is_sorted(hits.begin(), hits.end()));
}

TEST_CASE("the modules a fault hits end as the fault expects, the others as their group", "[fleet][plan]") {
  const auto file = file_of(rehearsal);
  const auto plan = plan_of(file, 105, 9);
  const auto hit_by = [&](std::size_t fault, std::size_t module) {
    const auto& hits = plan.fault_hits[fault];
    return std::binary_search(hits.begin(), hits.end(), module);
  };
  for (std::size_t module = 0; module < plan.modules.size(); ++module) {
    const expectation& expect = plan.modules[module].expect;
    const std::string& group = file.groups[plan.modules[module].group].name;
    INFO("module " << module << " of " << group);
    CHECK(expect.listening == !hit_by(1, module));
    if (group == "field")
      CHECK(expect.module_ota == (hit_by(0, module) ? ota_expectation::any : ota_expectation::succeeded));
    else
      CHECK(expect.module_ota == ota_expectation::none);
    CHECK(expect.host_ota == ota_expectation::none);
  }
}

TEST_CASE("a count larger than the modules a fault may hit is refused, naming the fault's line", "[fleet][plan]") {
  const auto file = file_of("campaign: {module_ota: {version: v}}\n"
                            "groups:\n  - {name: a, share: 80%, module_ota: {}}\n  - {name: b}\n"
                            "faults:\n"
                            "  - {fault: power_cut, count: 3, group: b, when: {at: 1s}}\n"
                            "  - {fault: coverage_lost, count: 13, when: {ota: downloading}}\n");
  CHECK(plan_fleet(file, 10, 0).error() ==
        "line 6: the power_cut fault hits 3 modules, but only 2 of the fleet's 10 may be hit (group 'b')");
  CHECK(plan_fleet(file, 20, 0).ok());  // 4 in b, 16 download
  CHECK(plan_fleet(file, 15, 0).error() ==
        "line 7: the coverage_lost fault hits 13 modules, but only 12 of the fleet's 15 may be hit");
}

TEST_CASE("the same file, count and seed give the same plan, and another seed another", "[fleet][plan]") {
  const auto file = file_of(rehearsal);
  const auto first = plan_of(file, 1000, 77);
  const auto again = plan_of(file, 1000, 77);
  CHECK(first.fault_hits == again.fault_hits);
  for (std::size_t module = 0; module < first.modules.size(); ++module) {
    CHECK(first.modules[module].seed == again.modules[module].seed);
    CHECK(first.modules[module].group == again.modules[module].group);
  }
  const auto other = plan_of(file, 1000, 78);
  CHECK(other.fault_hits[0] != first.fault_hits[0]);
  CHECK(other.fault_hits[2] != first.fault_hits[2]);
  CHECK(other.modules[0].seed != first.modules[0].seed);
  CHECK(other.fault_hits[0].size() == first.fault_hits[0].size());  // how many does not depend on the seed
}

TEST_CASE("each module has a seed of its own, which the fleet's size does not change", "[fleet][plan]") {
  const auto file = default_fleet_file();
  const auto small = plan_of(file, 10, 5);
  const auto large = plan_of(file, 10000, 5);
  for (std::size_t module = 0; module < 10; ++module) CHECK(small.modules[module].seed == large.modules[module].seed);
  std::set<std::uint64_t> seeds;
  for (const auto& module : large.modules) seeds.insert(module.seed);
  CHECK(seeds.size() == large.modules.size());
  for (const auto& module : large.modules) CHECK(module.group == 0);
}

// A change to the shuffle, the seed derivation or the rounding moves these: a plan a QA lead reran last month must
// hit the same modules today, so such a change has to be deliberate (and said in the release notes). The values
// were checked against a separate Python rendering of splitmix64, derived_seed and choose.
TEST_CASE("a small plan's exact assignment is pinned", "[fleet][plan]") {
  const auto file = file_of("groups:\n  - {name: a, share: 60%}\n  - {name: b}\n"
                            "faults:\n"
                            "  - {fault: coverage_lost, count: 3, when: {at: 1s}}\n"
                            "  - {fault: power_cut, share: 50%, group: b, when: {at: 2s}}\n");
  const auto plan = plan_of(file, 10, 2024);
  CHECK(groups_of(file, plan) == std::vector<std::string>{"a", "a", "a", "a", "a", "a", "b", "b", "b", "b"});
  CHECK(plan.fault_hits[0] == std::vector<std::size_t>{1, 4, 7});
  CHECK(plan.fault_hits[1] == std::vector<std::size_t>{6, 9});
  CHECK(plan.modules[0].seed == 0x993852333265a4c8ULL);
  CHECK(plan.modules[9].seed == 0x9dbb69d4fad57620ULL);
}

TEST_CASE("shards: module m runs in shard m % N, each group split in proportion", "[fleet][plan][shard]") {
  CHECK(shard_members(10, {0, 3}) == std::vector<std::size_t>{0, 3, 6, 9});
  CHECK(shard_members(10, {2, 3}) == std::vector<std::size_t>{2, 5, 8});
  CHECK(shard_members(5, {0, 1}) == std::vector<std::size_t>{0, 1, 2, 3, 4});
  const auto file = file_of(rehearsal);
  const auto whole = plan_of(file, 105, 1);
  std::map<std::string, std::size_t> whole_sizes = sizes_of(file, whole);
  std::vector<std::size_t> seen(105, 0);
  for (std::size_t s = 0; s < 4; ++s) {
    const auto members = shard_members(105, {s, 4});
    for (const auto m : members) ++seen[m];
    const auto part = plan_of_members(whole, members);
    for (const auto& [name, size] : sizes_of(file, part)) {
      INFO("shard " << s << " group " << name);
      CHECK(size * 4 + 4 > whole_sizes[name]);  // within one module of a quarter
      CHECK(size * 4 < whole_sizes[name] + 4);
    }
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](std::size_t n) { return n == 1; }));  // disjoint, none left out
}

TEST_CASE("shards: together they are the whole fleet's plan, module by module and fault by fault",
          "[fleet][plan][shard]") {
  const auto file = file_of(rehearsal);
  for (const std::size_t shards : {1u, 2u, 3u, 7u}) {
    const auto whole = plan_of(file, 105, 42);
    std::vector<std::set<std::size_t>> hits(file.faults.size());
    for (std::size_t s = 0; s < shards; ++s) {
      const auto members = shard_members(105, {s, shards});
      const auto part = plan_of_members(whole, members);
      REQUIRE(part.modules.size() == members.size());
      for (std::size_t k = 0; k < members.size(); ++k) {
        CHECK(part.modules[k].group == whole.modules[members[k]].group);
        CHECK(part.modules[k].seed == whole.modules[members[k]].seed);
        CHECK(part.modules[k].expect.listening == whole.modules[members[k]].expect.listening);
        CHECK(part.modules[k].expect.module_ota == whole.modules[members[k]].expect.module_ota);
      }
      REQUIRE(part.fault_hits.size() == file.faults.size());
      for (std::size_t f = 0; f < file.faults.size(); ++f)
        for (const auto k : part.fault_hits[f]) CHECK(hits[f].insert(members.at(k)).second);
      // A shard's plan is the same on every run of it.
      const auto again = plan_of_members(plan_of(file, 105, 42), members);
      CHECK(again.fault_hits == part.fault_hits);
    }
    for (std::size_t f = 0; f < file.faults.size(); ++f) {
      INFO(shards << " shards, fault " << f);
      CHECK(std::vector<std::size_t>(hits[f].begin(), hits[f].end()) == whole.fault_hits[f]);
    }
  }
}
