// scenario_overhead: what sim7600-scenario costs. The wall time of the whole scenarios/ library serially and with
// -j 2; and the runner's own cost per step — a 1,000-round-trip AT/OK scenario, less the same scenario with no
// steps (start-up and boot), per round trip — beside the AT round trip the harness measures on a module of its
// own in the same run. Prints figures only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_stats.hpp"
#include "harness/harness.hpp"

namespace {

using namespace std::chrono_literals;

std::string runner() { return std::string(SIM7600_BIN_DIR) + "/sim7600-scenario"; }

// The steps' own seconds of the one case a run printed: "PASS  file: name (1.3s, steps 0.153s)".
double step_seconds(const std::string& out) {
  const auto at = out.find(", steps ");
  return at == std::string::npos ? -1 : std::atof(out.c_str() + at + 8);
}

// Wall seconds of one run of the runner; the exit code goes to `code`.
double timed_run(const std::vector<std::string>& args, int& code) {
  const auto start = bench::clock_type::now();
  code = e2e::run_to_exit(runner(), args, 1200s).exit_code;
  return bench::seconds_since(start);
}

std::string at_ok_scenario(int round_trips) {
  std::string yaml = "name: " + std::to_string(round_trips) + " AT round trips\nsteps:\n  - host: |\n      > ATE0\n      < OK\n";
  for (int i = 0; i < round_trips; ++i) yaml += "      > AT\n      < OK\n";
  return yaml;
}

std::vector<std::string> library_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SIM7600_SOURCE_DIR) + "/scenarios"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  const int round_trips = argc > 1 ? std::atoi(argv[1]) : 1000;
  const bool with_library = argc <= 2 || std::string(argv[2]) != "--no-library";
  e2e::temp_dir dir;
  const auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = (dir.path() / name).string();
    std::ofstream(path) << text;
    return path;
  };
  std::printf("scenario_overhead: %d AT/OK round trips (echo off)\n", round_trips);

  // The baseline, in this run: the harness on its own module, no runner.
  e2e::booted_module m;
  m.port.command("ATE0");
  const auto direct = bench::measure(round_trips, [&] { m.port.command("AT"); });
  std::printf("%-40s p50 %8.1f us   p99 %8.1f us\n", "AT round trip (harness, no runner)", direct.p50_us, direct.p99_us);

  // The runner times a case's steps apart from its set-up (module start, boot) and teardown.
  const std::string file = write("round_trips.yaml", at_ok_scenario(round_trips));
  double best_steps = 1e9, best_case = 1e9;
  int code = 0;
  for (int run = 0; run < 5; ++run) {
    const auto start = bench::clock_type::now();
    const auto finished = e2e::run_to_exit(runner(), {file}, 1200s);
    best_case = std::min(best_case, bench::seconds_since(start));
    best_steps = std::min(best_steps, step_seconds(finished.out));
    code = finished.exit_code;
  }
  const double per_step_us = best_steps / round_trips * 1e6;
  std::printf("%-40s %8.2f s  (exit %d; best of 5, all of it: start-up, boot, steps, teardown)\n",
              "the scenario, whole", best_case, code);
  std::printf("%-40s %8.1f us   = x%.2f the harness's p50: the runner's own cost %+.1f us a round trip\n",
              "per round trip in a scenario", per_step_us, per_step_us / direct.p50_us, per_step_us - direct.p50_us);

  if (!with_library) return 0;
  const auto files = library_files();
  std::vector<std::string> serial = {"--keep-going"}, parallel = {"--keep-going", "-j", "2"};
  serial.insert(serial.end(), files.begin(), files.end());
  parallel.insert(parallel.end(), files.begin(), files.end());
  const double serial_s = timed_run(serial, code);
  std::printf("%-40s %8.1f s  (%zu files, exit %d)\n", "scenarios/ serially", serial_s, files.size(), code);
  const double parallel_s = timed_run(parallel, code);
  std::printf("%-40s %8.1f s  (exit %d) = x%.2f faster\n", "scenarios/ with -j 2", parallel_s, code,
              serial_s / parallel_s);
  return 0;
}
