#pragma once
// sim7600-fleet's command line (SPEC §9), read by CLI11 (cli/): pure, argv in, options or a one-line reason out.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/command_words.hpp"
#include "common/result.hpp"
#include "fleet/shard_position.hpp"

namespace fleet {

// The environment variable a shard reads its index from when --shard gives only the count: Kubernetes sets it in
// each pod of an Indexed Job (0 .. completions-1).
inline constexpr const char* shard_index_variable = "JOB_COMPLETION_INDEX";

// `sim7600-fleet merge SUMMARY... [--junit OUT] [--json]`: shards' JSON summaries joined into the fleet's.
struct merge_options {
  std::vector<std::string> summaries;
  std::optional<std::string> junit;  // the merged JUnit XML written here
  bool json = false;                 // the merged summary as JSON on stdout, not the readable total
};

struct fleet_options {
  std::string state_dir;           // one folder per module (DIR/<dsn>/, sim7600-emu's NV format)
  std::size_t count = 0;           // --count N: modules to run
  std::optional<std::string> ads_url;  // without: the embedded ads-sim, its data in DIR/ads-sim
  std::optional<std::string> ads_ca;
  std::optional<std::string> admin_token_file;
  std::optional<std::string> oem;  // the OEM new modules are made for (default: the service's demo OEM)
  std::string model = "sim7600-fleet";  // their OEM model
  std::uint64_t seed = 1;
  std::map<std::string, std::string> ports;  // --port DSN=PATH: PATH a PTY link, or HOST:PORT for TCP
  std::optional<std::string> junit;
  std::optional<std::string> summary;  // --summary FILE: the JSON summary also written there
  std::optional<std::string> modules_file;  // --modules FILE: a JSON line per module (fleet_report.hpp)
  std::optional<std::string> fleet_file;
  bool json = false;               // the summary on stdout is the only output there (progress to stderr)
  std::optional<shard_position> shard;  // --shard I/N: this run is that part of the --count modules
  std::optional<merge_options> merge;   // the merge verb: no fleet runs
};

// What the command line reads from the environment (given, so parsing stays pure).
struct environment {
  std::optional<std::string> job_completion_index;  // shard_index_variable
};

using command_line = cli::command_line<fleet_options>;

// `args` excludes the program name. The error is the one-line reason the line is refused (exit 2).
common::outcome<command_line> parse_command_line(const std::vector<std::string>& args, const environment& env = {});

// --shard's value: "I/N" (shard I of N, from 0), or "/N" with I from the environment (shard_index_variable).
// `count` is --count: more shards than modules would leave one with none. The error is the one-line reason.
common::outcome<shard_position> parse_shard(const std::string& text, const environment& env, std::size_t count);
std::string usage_text();
cli::command_words completion_words();

// Whether a --port value names a TCP endpoint (HOST:PORT) rather than a PTY link path.
bool is_tcp_endpoint(const std::string& where);

}  // namespace fleet
