#include "fleet/fleet_report.hpp"

#include <algorithm>
#include <map>

#include "common/junit_xml.hpp"

namespace fleet {

namespace {

using nlohmann::json;

struct tally {
  std::uint64_t modules = 0, as_expected = 0;
  void add(const module_outcome& module) {
    ++modules;
    as_expected += module.as_expected ? 1 : 0;
  }
  json to_json() const {
    return {{"modules", modules}, {"as_expected", as_expected}, {"not_as_expected", modules - as_expected}};
  }
};

// The names a report shows: the declared ones in the file's order, then any a module names that the file did not
// (a report never drops a module), in the order met.
template <class NamesOf>
std::vector<std::string> names_in_order(const std::vector<std::string>& declared, const fleet_run& run,
                                        NamesOf names_of) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& name : declared) add(name);
  for (const auto& module : run.modules)
    for (const auto& name : names_of(module)) add(name);
  return names;
}

std::vector<std::string> group_names(const fleet_run& run) {
  return names_in_order(run.groups, run, [](const module_outcome& m) { return std::vector<std::string>{m.group}; });
}

std::vector<std::string> fault_names(const fleet_run& run) {
  return names_in_order(run.faults, run, [](const module_outcome& m) { return m.faults; });
}

// A module hit twice by one kind of fault (two entries of the file) counts once for it.
std::vector<std::string> distinct(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool hit_by(const module_outcome& module, const std::string& fault) {
  return std::find(module.faults.begin(), module.faults.end(), fault) != module.faults.end();
}

json counts_json(const fleet_counts& counts) {
  return {{"booting", counts.booting},
          {"connecting", counts.connecting},
          {"listening", counts.listening},
          {"ota_downloading", counts.ota_downloading},
          {"ota_applying", counts.ota_applying},
          {"ota_succeeded", counts.ota_succeeded},
          {"ota_failed", counts.ota_failed},
          {"failed", counts.failed},
          {"silent", counts.silent},
          {"errors", counts.errors}};
}

json job_json(const std::optional<ota_job_counters>& job) {
  if (!job) return nullptr;
  return {{"total", job->total}, {"processing", job->processing}, {"succeeded", job->succeeded},
          {"failed", job->failed}};
}

json ota_ends_json(const fleet_run& run, ota_result module_outcome::*which) {
  std::uint64_t succeeded = 0, failed = 0;
  for (const auto& module : run.modules) {
    succeeded += (module.*which).end == ota_end::succeeded ? 1 : 0;
    failed += (module.*which).end == ota_end::failed ? 1 : 0;
  }
  return {{"succeeded", succeeded}, {"failed", failed}};
}

json traffic_json(const fleet_run& run) {
  module_counters sum;
  for (const auto& module : run.modules) {
    sum.properties_sent += module.counters.properties_sent;
    sum.properties_acked += module.counters.properties_acked;
    sum.to_device_read += module.counters.to_device_read;
    sum.retries += module.counters.retries;
  }
  return {{"properties_sent", sum.properties_sent},
          {"properties_acked", sum.properties_acked},
          {"to_device_read", sum.to_device_read},
          {"retries", sum.retries}};
}

const char* ota_end_name(ota_end end) {
  switch (end) {
    case ota_end::none: return "none";
    case ota_end::succeeded: return "succeeded";
    case ota_end::failed: return "failed";
  }
  return "none";
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

std::string reason_of(const module_outcome& module) {
  return module.reason.empty() ? "did not end as expected" : module.reason;
}

// A failed module's case: the reason first (the failure's message), then where it was and how it ended.
std::string module_failure_text(const module_outcome& module) {
  std::string text = reason_of(module) + "\n";
  text += "group: " + module.group + "\n";
  text += "faults: " + (module.faults.empty() ? std::string("none") : joined(module.faults)) + "\n";
  text += std::string("listening: ") + (module.listening ? "yes" : "no") + "\n";
  for (const auto& [what, ota] : {std::pair{"module OTA", &module.module_ota}, std::pair{"host OTA", &module.host_ota}})
    text += std::string(what) + ": " + ota_end_name(ota->end) + (ota->reason.empty() ? "" : " (" + ota->reason + ")") +
            "\n";
  const module_counters& counters = module.counters;
  text += "properties sent " + std::to_string(counters.properties_sent) + ", acked " +
          std::to_string(counters.properties_acked) + ", to-device read " + std::to_string(counters.to_device_read) +
          ", retries " + std::to_string(counters.retries);
  return text;
}

// The last `transcript_tail_bytes` of a transcript, from a line start when there is one, saying what was left out.
std::string transcript_tail(const std::string& transcript) {
  if (transcript.size() <= transcript_tail_bytes) return transcript;
  std::size_t from = transcript.size() - transcript_tail_bytes;
  const std::size_t line_start = transcript.find('\n', from);
  if (line_start != std::string::npos && line_start + 1 < transcript.size()) from = line_start + 1;
  return "[" + std::to_string(from) + " bytes before]\n" + transcript.substr(from);
}

// A failed module as a suite lists it: its own case, named by its DSN.
struct listed_failure {
  std::string dsn;
  std::string reason;      // the first line of the failure
  std::string details;     // the failure's whole text
  std::string transcript;  // <system-out>
};

listed_failure listed(const module_outcome& module) {
  return {module.dsn, reason_of(module), module_failure_text(module), transcript_tail(module.transcript)};
}

// A suite of `modules` modules of which `failed_total` did not end as expected, `failed` the first of those:
// "modules ended as expected", then one case per listed module, then one counting any beyond
// listed_failures_limit.
common::junit_suite outcome_suite(const std::string& suite_name, const std::string& classname, std::uint64_t modules,
                                  std::uint64_t failed_total, std::vector<listed_failure> failed) {
  common::junit_suite suite{suite_name, classname, {}};
  if (failed.size() > listed_failures_limit) failed.resize(listed_failures_limit);
  // No times on cases: modules run side by side, and CI tools add case times up (the JSON has the duration).
  common::junit_case overall{"modules ended as expected", classname, 0, std::nullopt,
                             std::to_string(modules) + " modules: " + std::to_string(modules - failed_total) +
                                 " as expected, " + std::to_string(failed_total) + " not\n"};
  if (failed_total > 0) {
    std::string message =
        std::to_string(failed_total) + " of " + std::to_string(modules) + " modules did not end as expected";
    for (const auto& one : failed) message += "\n" + one.dsn + ": " + one.reason;
    if (failed_total > failed.size()) message += "\n(" + std::to_string(failed_total - failed.size()) + " more)";
    overall.failure = common::junit_failure{message, "fleet"};
  }
  suite.cases.push_back(std::move(overall));
  for (auto& one : failed)
    suite.cases.push_back({one.dsn, classname, 0, common::junit_failure{one.details, "fleet"}, std::move(one.transcript)});
  if (failed_total > failed.size()) {
    const std::string more = std::to_string(failed_total - failed.size()) + " more modules did not end as expected";
    suite.cases.push_back({"more modules not as expected", classname, 0,
                           common::junit_failure{more + " (listed: the first " + std::to_string(failed.size()) + ")",
                                                 "fleet"},
                           ""});
  }
  return suite;
}

// The suite of the modules `in` selects.
template <class Selects>
common::junit_suite run_suite(const fleet_run& run, const std::string& suite_name, const std::string& classname,
                              Selects in) {
  std::uint64_t modules = 0, failed_total = 0;
  std::vector<listed_failure> failed;
  for (const auto& module : run.modules) {
    if (!in(module)) continue;
    ++modules;
    if (module.as_expected) continue;
    ++failed_total;
    if (failed.size() < listed_failures_limit) failed.push_back(listed(module));
  }
  return outcome_suite(suite_name, classname, modules, failed_total, std::move(failed));
}

}  // namespace

nlohmann::json summary_json(const fleet_run& run) {
  std::map<std::string, tally> groups, faults;
  for (const auto& name : group_names(run)) groups[name];
  for (const auto& name : fault_names(run)) faults[name];
  tally all;
  json failures = json::array();
  for (const auto& module : run.modules) {
    all.add(module);
    groups[module.group].add(module);
    for (const auto& fault : distinct(module.faults)) faults[fault].add(module);
    if (!module.as_expected && failures.size() < listed_failures_limit)
      failures.push_back({{"dsn", module.dsn}, {"group", module.group}, {"faults", module.faults},
                          {"reason", reason_of(module)}});
  }
  json groups_json = json::object(), faults_json = json::object();
  for (const auto& [name, counted] : groups) groups_json[name] = counted.to_json();
  for (const auto& [name, counted] : faults) faults_json[name] = counted.to_json();
  const std::uint64_t not_as_expected = all.modules - all.as_expected;
  return {{"version", 1},
          {"fleet", run.name},
          {"seed", run.seed},
          {"shard", run.shard ? json{{"index", run.shard->index}, {"count", run.shard->count},
                                     {"fleet_modules", run.fleet_count}}
                              : json(nullptr)},
          {"modules", all.modules},
          {"duration_ms", run.duration.count()},
          {"as_expected", all.as_expected},
          {"not_as_expected", not_as_expected},
          {"counts", counts_json(run.counts)},
          {"groups", groups_json},
          {"faults", faults_json},
          {"ota", {{"module", ota_ends_json(run, &module_outcome::module_ota)},
                   {"host", ota_ends_json(run, &module_outcome::host_ota)}}},
          {"ota_jobs", {{"module", job_json(run.module_job)}, {"host", job_json(run.host_job)}}},
          {"traffic", traffic_json(run)},
          {"failures", failures},
          {"failures_limit", listed_failures_limit},
          {"failures_omitted", not_as_expected - failures.size()}};
}

std::string module_lines(const fleet_run& run) {
  std::string text;
  for (const auto& module : run.modules) {
    json line = {{"dsn", module.dsn},
                 {"group", module.group},
                 {"faults", module.faults},
                 {"listening", module.listening},
                 {"as_expected", module.as_expected},
                 {"ota",
                  {{"module", ota_end_name(module.module_ota.end)}, {"host", ota_end_name(module.host_ota.end)}}},
                 {"properties_sent", module.counters.properties_sent},
                 {"properties_acked", module.counters.properties_acked},
                 {"to_device_read", module.counters.to_device_read},
                 {"retries", module.counters.retries}};
    if (!module.as_expected) line["reason"] = reason_of(module);
    text += line.dump() + "\n";
  }
  return text;
}

std::string fleet_junit(const fleet_run& run) {
  const std::string fleet_class = run.name.empty() ? std::string("fleet") : run.name;
  std::vector<common::junit_suite> suites;
  for (const auto& group : group_names(run))
    suites.push_back(run_suite(run, "group " + group, fleet_class + ".group." + group,
                                   [&](const module_outcome& m) { return m.group == group; }));
  for (const auto& fault : fault_names(run))
    suites.push_back(run_suite(run, "fault " + fault, fleet_class + ".fault." + fault,
                                   [&](const module_outcome& m) { return hit_by(m, fault); }));
  return common::junit_document("sim7600-fleet", suites, run.started);
}

std::string summary_junit(const nlohmann::json& summary, std::chrono::system_clock::time_point started) {
  const std::string name = summary.value("fleet", std::string());
  const std::string fleet_class = name.empty() ? std::string("fleet") : name;
  const json failures = summary.value("failures", json::array());
  std::vector<common::junit_suite> suites;
  for (const auto& [kind, key] : {std::pair{"group", "groups"}, std::pair{"fault", "faults"}}) {
    const json tallies = summary.value(key, json::object());
    for (const auto& [suite_name, tallied] : tallies.items()) {
      std::vector<listed_failure> failed;
      for (const auto& one : failures) {
        const auto faults = one.value("faults", std::vector<std::string>{});
        const bool in = std::string(kind) == "group" ? one.value("group", "") == suite_name
                                                     : std::find(faults.begin(), faults.end(), suite_name) != faults.end();
        if (!in) continue;
        const std::string reason = one.value("reason", std::string("did not end as expected"));
        failed.push_back({one.value("dsn", ""), reason,
                          reason + "\ngroup: " + one.value("group", "") +
                              "\nfaults: " + (faults.empty() ? std::string("none") : joined(faults)),
                          ""});
      }
      suites.push_back(outcome_suite(std::string(kind) + " " + suite_name,
                                     fleet_class + "." + kind + "." + suite_name, tallied.value("modules", 0u),
                                     tallied.value("not_as_expected", 0u), std::move(failed)));
    }
  }
  return common::junit_document("sim7600-fleet", suites, started);
}

}  // namespace fleet
