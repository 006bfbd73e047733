// sim7600-fleet: N emulated SIM7600 modules in one process, each with a host, against one device service (SPEC §9);
// `sim7600-fleet merge` joins the summaries of a fleet's shards.
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "common/read_file.hpp"
#include "fleet/fleet_file.hpp"
#include "fleet/fleet_merge.hpp"
#include "fleet/fleet_options.hpp"
#include "fleet/fleet_report.hpp"
#include "fleet/fleet_runner.hpp"

namespace {

int usage_error(const std::string& reason) {
  std::cerr << "sim7600-fleet: " << reason << "\n";
  return common::exit_status(common::exit_code::usage);
}

// merge: 0 when every shard's run passed, 1 when one did not (or the JUnit cannot be written), 2 when the files
// are not the summaries of one run's shards.
int merge(const fleet::merge_options& options) {
  std::vector<fleet::shard_summary> shards;
  for (const std::string& file : options.summaries) {
    const auto text = common::read_file(file);
    if (!text) return usage_error("merge: cannot read " + file);
    auto summary = nlohmann::json::parse(*text, nullptr, false);
    if (summary.is_discarded()) return usage_error("merge: " + file + " is not JSON");
    shards.push_back({file, std::move(summary)});
  }
  const auto merged = fleet::merge_summaries(shards);
  if (!merged) return usage_error("merge: " + merged.error());
  std::cout << (options.json ? merged->dump(2) + "\n" : fleet::merged_total_text(*merged)) << std::flush;
  int code = merged->value("passed", false) ? 0 : 1;
  if (options.junit) {
    std::ofstream out(*options.junit, std::ios::trunc);
    out << fleet::summary_junit(*merged, std::chrono::system_clock::now());
    if (!out.flush()) {
      std::cerr << "sim7600-fleet: cannot write " << *options.junit << "\n";
      code = 1;
    }
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  fleet::environment env;
  if (const char* index = std::getenv(fleet::shard_index_variable)) env.job_completion_index = index;
  auto parsed = fleet::parse_command_line(args, env);
  if (auto answered = cli::answer(parsed, "sim7600-fleet", fleet::usage_text, std::cout, std::cerr))
    return common::exit_status(*answered);
  fleet::fleet_options options = std::move(parsed.value().args);
  if (options.merge) return merge(*options.merge);
  fleet::fleet_file file = fleet::default_fleet_file();
  if (options.fleet_file) {
    auto read = fleet::read_fleet_file(*options.fleet_file);
    if (!read) return usage_error(read.error().reason);
    file = std::move(read).value();
  }
  fleet::fleet_runner runner(std::move(options), std::move(file));
  return runner.run();
}
