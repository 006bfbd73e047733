#include "fleet/fleet_merge.hpp"

#include <algorithm>
#include <map>

#include "fleet/fleet_report.hpp"

namespace fleet {

namespace {

using nlohmann::json;

// Adds `more` into `into` key by key: numbers add, objects add per key, null is nothing (a shard whose file
// starts no job has "ota_jobs": {"module": null}).
void add_into(json& into, const json& more) {
  if (more.is_null()) return;
  if (into.is_null()) {
    into = more;
    return;
  }
  if (into.is_object() && more.is_object()) {
    for (auto it = more.begin(); it != more.end(); ++it) add_into(into[it.key()], it.value());
    return;
  }
  if (into.is_number_unsigned() && more.is_number_unsigned()) {
    into = into.get<std::uint64_t>() + more.get<std::uint64_t>();
    return;
  }
  if (into.is_number() && more.is_number()) into = into.get<std::int64_t>() + more.get<std::int64_t>();
}

std::string shard_words(const json& shard) {
  return std::to_string(shard.value("index", 0u)) + "/" + std::to_string(shard.value("count", 0u));
}

// Why `one` cannot be merged with `first` (the first file given), if it cannot.
std::optional<std::string> mismatch(const shard_summary& one, const shard_summary& first) {
  const json& a = one.summary;
  const json& b = first.summary;
  const auto differs = [&](const char* what, const json& mine, const json& theirs) -> std::optional<std::string> {
    if (mine == theirs) return std::nullopt;
    return one.source + ": " + what + " " + mine.dump() + ", but " + first.source + " has " + theirs.dump() +
           ": not shards of one run";
  };
  if (auto why = differs("fleet", a["fleet"], b["fleet"])) return why;
  if (auto why = differs("seed", a["seed"], b["seed"])) return why;
  if (auto why = differs("shard count", a["shard"]["count"], b["shard"]["count"])) return why;
  if (auto why = differs("--count", a["shard"]["fleet_modules"], b["shard"]["fleet_modules"])) return why;
  return std::nullopt;
}

std::optional<std::string> not_a_shard(const shard_summary& one) {
  const json& s = one.summary;
  if (!s.is_object() || s.value("version", 0) != 1 || !s.contains("fleet") || !s.contains("groups"))
    return one.source + ": not a sim7600-fleet summary (version 1)";
  const json shard = s.value("shard", json());
  if (!shard.is_object() || !shard.contains("index") || !shard.contains("count"))
    return one.source + ": the summary of an unsharded run (no shard: it ran without --shard I/N)";
  return std::nullopt;
}

// Which shards are there: refused when one index comes twice or one is missing.
std::optional<std::string> coverage_gap(const std::vector<shard_summary>& shards) {
  const std::size_t count = shards.front().summary["shard"].value("count", 0u);
  std::map<std::size_t, std::string> seen;
  for (const auto& one : shards) {
    const std::size_t index = one.summary["shard"].value("index", 0u);
    if (index >= count)
      return one.source + ": shard " + shard_words(one.summary["shard"]) + " is not one of " + std::to_string(count);
    if (const auto [at, fresh] = seen.emplace(index, one.source); !fresh)
      return at->second + " and " + one.source + " are both shard " + shard_words(one.summary["shard"]);
  }
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < count; ++i)
    if (!seen.contains(i)) missing.push_back(std::to_string(i));
  if (missing.empty()) return std::nullopt;
  std::string list;
  for (const auto& i : missing) list += (list.empty() ? "" : ", ") + i;
  return std::string(missing.size() == 1 ? "shard " : "shards ") + list + " of " + std::to_string(count) +
         (missing.size() == 1 ? " is" : " are") + " missing: merge wants every shard's summary";
}

// The runner's fault plan (one entry per fault of the file, the same file on every shard): chosen, struck and
// refused added entry by entry.
json merged_fault_plan(const std::vector<const json*>& summaries) {
  json plan = json::array();
  for (const json* s : summaries) {
    const json mine = s->value("fault_plan", json::array());
    for (std::size_t i = 0; i < mine.size(); ++i) {
      if (i == plan.size()) {
        plan.push_back(mine[i]);
        continue;
      }
      for (const char* key : {"chosen", "struck", "refused"}) add_into(plan[i][key], mine[i].value(key, json()));
    }
  }
  return plan;
}

bool passed(const json& summary) {
  if (summary.contains("passed")) return summary["passed"].get<bool>();
  return summary.value("not_as_expected", 1u) == 0 && !summary.contains("campaign_errors") &&
         !summary.value("cut_short", false);
}

}  // namespace

common::result<json, std::string> merge_summaries(const std::vector<shard_summary>& shards) {
  if (shards.empty()) return common::unexpected(std::string("no summaries to merge"));
  for (const auto& one : shards)
    if (auto why = not_a_shard(one)) return common::unexpected(*why);
  for (const auto& one : shards)
    if (auto why = mismatch(one, shards.front())) return common::unexpected(*why);
  if (auto why = coverage_gap(shards)) return common::unexpected(*why);

  std::vector<const json*> in_order;
  for (const auto& one : shards) in_order.push_back(&one.summary);
  std::sort(in_order.begin(), in_order.end(),
            [](const json* a, const json* b) { return (*a)["shard"]["index"] < (*b)["shard"]["index"]; });

  const json& first = *in_order.front();
  json merged = {{"version", 1},
                 {"fleet", first["fleet"]},
                 {"seed", first["seed"]},
                 {"shard", nullptr},
                 {"shards", first["shard"]["count"]},
                 {"fleet_modules", first["shard"].value("fleet_modules", json())}};
  json failures = json::array();
  json campaign_errors = json::array();
  bool all_passed = true, cut_short = false;
  std::int64_t duration = 0;
  for (const json* s : in_order) {
    for (const char* key : {"modules", "as_expected", "not_as_expected", "counts", "groups", "faults", "ota",
                            "ota_jobs", "traffic"})
      add_into(merged[key], s->value(key, json()));
    duration = std::max(duration, s->value("duration_ms", std::int64_t{0}));
    for (const auto& failure : s->value("failures", json::array()))
      if (failures.size() < listed_failures_limit) failures.push_back(failure);
    for (const auto& error : s->value("campaign_errors", json::array()))
      campaign_errors.push_back("shard " + shard_words((*s)["shard"]) + ": " + error.get<std::string>());
    cut_short = cut_short || s->value("cut_short", false);
    all_passed = all_passed && passed(*s);
  }
  merged["duration_ms"] = duration;
  merged["failures"] = failures;
  merged["failures_limit"] = listed_failures_limit;
  merged["failures_omitted"] = merged.value("not_as_expected", std::uint64_t{0}) - failures.size();
  merged["fault_plan"] = merged_fault_plan(in_order);
  if (!campaign_errors.empty()) merged["campaign_errors"] = campaign_errors;
  if (cut_short) merged["cut_short"] = true;
  merged["passed"] = all_passed;
  return merged;
}

std::string merged_total_text(const json& merged) {
  const auto number = [](const json& object, const char* key) { return std::to_string(object.value(key, 0u)); };
  const auto tally_line = [&](const std::string& what, const json& tally) {
    return "  " + what + ": " + number(tally, "modules") + " modules, " + number(tally, "as_expected") +
           " as expected, " + number(tally, "not_as_expected") + " not\n";
  };
  std::string text = "fleet '" + merged.value("fleet", std::string()) + "', seed " + merged["seed"].dump() + ", " +
                     merged["shards"].dump() + " shards: " +
                     (merged.value("passed", false) ? "passed" : "FAILED") + "\n";
  text += tally_line("all", merged);
  const json groups = merged.value("groups", json::object()), faults = merged.value("faults", json::object()),
             jobs = merged.value("ota_jobs", json::object());
  for (const auto& [name, tally] : groups.items()) text += tally_line("group " + name, tally);
  for (const auto& [name, tally] : faults.items()) text += tally_line("fault " + name, tally);
  for (const auto& [type, job] : jobs.items()) {
    if (job.is_null()) continue;
    text += "  " + type + " OTA jobs: " + number(job, "total") + " devices, " + number(job, "succeeded") +
            " succeeded, " + number(job, "failed") + " failed, " + number(job, "processing") + " in progress\n";
  }
  for (const auto& error : merged.value("campaign_errors", json::array()))
    text += "  campaign error: " + error.get<std::string>() + "\n";
  if (merged.value("cut_short", false)) text += "  a shard was cut short (a signal)\n";
  for (const auto& failure : merged.value("failures", json::array()))
    text += "  " + failure.value("dsn", "") + " (" + failure.value("group", "") + "): " +
            failure.value("reason", "") + "\n";
  if (merged.value("failures_omitted", 0u) > 0)
    text += "  (" + number(merged, "failures_omitted") + " more not as expected)\n";
  return text;
}

}  // namespace fleet
