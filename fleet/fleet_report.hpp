#pragma once
// fleet_report: how a fleet run ended, for scripts (the JSON summary, which `sim7600-fleet merge` adds up across
// shards) and for CI (JUnit XML, a suite per group and per fault class). Sans-I/O: the run's results in, text out.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fleet/fleet_progress.hpp"
#include "fleet/shard_position.hpp"

namespace fleet {

// How an OTA ended for one module. none: no offer of that kind reached it.
enum class ota_end { none, succeeded, failed };
struct ota_result {
  ota_end end = ota_end::none;
  std::string reason;  // failed: why, in the module's or its host's words
};

// What a module's host did over the run.
struct module_counters {
  std::uint64_t properties_sent = 0;   // AT+ADA="s" the host made
  std::uint64_t properties_acked = 0;  // of those, acknowledged by the service
  std::uint64_t to_device_read = 0;    // to-device properties read back (AT+ADA="g")
  std::uint64_t retries = 0;           // sends and downloads tried again
};

// One module's end state, as the runner judged it against the fleet file's expectation.
struct module_outcome {
  std::string dsn;
  std::string group;
  std::vector<std::string> faults;  // the fault kinds that hit it, as the fleet file names them ("coverage_lost")
  bool listening = false;           // connected and listening at the end
  ota_result module_ota;
  ota_result host_ota;
  module_counters counters;
  bool as_expected = false;
  std::string reason;      // not as expected: why, one line
  std::string transcript;  // not as expected: the module's recent port text (bounded by the runner)
};

// An OTA job's counters as the fleet read them from the device service (the note's §5.1: Device Total,
// Processing, Succeed, Failed), to set beside the modules' own ends.
struct ota_job_counters {
  std::uint64_t total = 0, processing = 0, succeeded = 0, failed = 0;
};

// Everything the reports say, gathered by the runner at the end.
struct fleet_run {
  std::string name;  // the fleet file's
  std::uint64_t seed = 0;
  std::optional<shard_position> shard;  // none: not sharded
  std::size_t fleet_count = 0;          // --count: the whole fleet's modules, of which a shard runs its part
  std::chrono::system_clock::time_point started;
  std::chrono::milliseconds duration{0};
  fleet_counts counts;                           // the live counts at the end
  std::optional<ota_job_counters> module_job;    // none: the fleet file starts no module OTA job
  std::optional<ota_job_counters> host_job;
  std::vector<std::string> groups;  // as declared in the fleet file, in its order: shown even when empty
  std::vector<std::string> faults;  // the fault kinds it declares, likewise
  std::vector<module_outcome> modules;
};

// Modules not as expected listed one by one in the summary and in each JUnit suite; the rest are counted.
inline constexpr std::size_t listed_failures_limit = 100;
// The end of a failed module's transcript that JUnit carries (cut at a line start).
inline constexpr std::size_t transcript_tail_bytes = 4096;

// The end summary (version 1). Every count adds up across shards; merge takes the largest duration_ms, keeps
// fleet and seed, concatenates `failures` (listing at most `failures_limit`, counting the others into
// `failures_omitted`). Groups and faults are objects keyed by name, so shards add them key by key.
//   {"version": 1, "fleet": NAME, "seed": S, "shard": null | {"index": I, "count": N, "fleet_modules": C},
//    "modules": M, "duration_ms": D, "as_expected": A, "not_as_expected": F,
//    "counts": {"booting", "connecting", "listening", "ota_downloading", "ota_applying", "ota_succeeded",
//               "ota_failed", "failed", "silent", "errors"},
//    "groups": {NAME: {"modules", "as_expected", "not_as_expected"}},
//    "faults": {KIND: {"modules", "as_expected", "not_as_expected"}},
//    "ota": {"module": {"succeeded", "failed"}, "host": {"succeeded", "failed"}},     (the modules' own ends)
//    "ota_jobs": {"module": null | {"total", "processing", "succeeded", "failed"}, "host": likewise},
//    "traffic": {"properties_sent", "properties_acked", "to_device_read", "retries"},
//    "failures": [{"dsn", "group", "faults": [KIND...], "reason"}], "failures_limit": 100, "failures_omitted": K}
nlohmann::json summary_json(const fleet_run& run);

// `--modules FILE`: one JSON object per line and per module, for reconciling a run with the service's records
// module by module (what the summary adds up):
//   {"dsn", "group", "faults": [KIND...], "listening", "as_expected", "reason" (not as expected only),
//    "ota": {"module": "none"|"succeeded"|"failed", "host": likewise}, "properties_sent", "properties_acked",
//    "to_device_read", "retries"}
std::string module_lines(const fleet_run& run);

// JUnit XML named "sim7600-fleet": a suite per group and per fault class (declared ones first, in the file's
// order). Each holds the case "modules ended as expected" (failing with how many did not, and their reasons), then
// a case per module not as expected, named by its DSN: its reason as the failure, its state beside it, and its
// transcript's tail as <system-out>; beyond listed_failures_limit one case counts the rest.
std::string fleet_junit(const fleet_run& run);

// The same JUnit for a fleet known by its summary only (shards' summaries merged, fleet_merge.hpp): a suite per
// group and per fault class of the summary, each failed module as `failures` lists it, with its reason, group and
// faults; transcripts stay in each shard's own JUnit.
std::string summary_junit(const nlohmann::json& summary, std::chrono::system_clock::time_point started);

}  // namespace fleet
