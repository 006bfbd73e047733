#pragma once
// fleet_merge: `sim7600-fleet merge` — the JSON summaries of the shards of one fleet run (--shard I/N) joined into
// the whole fleet's summary, in the same shape (fleet_report.hpp), and told to a person. Sans-I/O: parsed
// summaries in, JSON and text out.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace fleet {

struct shard_summary {
  std::string source;  // where it was read from, for messages
  nlohmann::json summary;
};

// The whole fleet's summary: counts, groups, faults, OTA ends and jobs, traffic and the fault plan added key by key;
// the longest duration; failures concatenated in shard order up to failures_limit, the rest in failures_omitted;
// "shard": null, "shards": N, "fleet_modules": C; "passed" when every shard's run passed. Refused, with one line:
// a file that is no shard's summary, shards of another fleet, seed, shard count or --count, two files of one shard
// and missing shards.
common::result<nlohmann::json, std::string> merge_summaries(const std::vector<shard_summary>& shards);

// The merged total for a person: the verdict, modules, groups, faults, OTA jobs and the failures listed.
std::string merged_total_text(const nlohmann::json& merged);

}  // namespace fleet
