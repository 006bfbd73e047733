// sim7600-scenario: CI tests without hardware (SPEC §8). Runs scenario files, one fresh emulator per case.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <thread>

#include "scenario/case_runner.hpp"
#include "scenario/command_line.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario/transcript_import.hpp"

namespace {

using namespace scenario;

struct planned_case {
  std::string file;
  const scenario_case* spec = nullptr;
};

int print_replay(const std::string& transcript_path) {
  std::ifstream in(transcript_path, std::ios::binary);
  if (!in) {
    std::cerr << "sim7600-scenario: cannot read " << transcript_path << "\n";
    return 2;
  }
  std::string name = transcript_path.substr(transcript_path.rfind('/') + 1);
  auto yaml = scenario_from_transcript(std::string(std::istreambuf_iterator<char>(in), {}), "replay of " + name);
  if (!yaml.ok()) {
    std::cerr << "sim7600-scenario: " << transcript_path << ": " << yaml.error().reason << "\n";
    return 2;
  }
  std::cout << yaml.value();
  return 0;
}

void print_result(const case_result& result) {
  std::printf("%s  %s: %s (%.1fs, steps %.3fs)\n", result.passed ? "PASS" : "FAIL", result.file.c_str(),
              result.name.c_str(), result.seconds, result.step_seconds);
  if (!result.passed) {
    std::string indented = "  " + result.message;
    for (std::size_t at = indented.find('\n'); at != std::string::npos; at = indented.find('\n', at + 1))
      if (at + 1 < indented.size()) indented.insert(at + 1, "  ");
    std::printf("%s%s", indented.c_str(), indented.ends_with('\n') ? "" : "\n");
  }
  std::fflush(stdout);
}

// Runs the cases on opts.jobs threads; without --keep-going, no case starts after one failed.
std::vector<case_result> run_all(const std::vector<planned_case>& plan, const options& opts) {
  std::vector<std::optional<case_result>> slots(plan.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex printing;
  const auto worker = [&] {
    for (std::size_t index = next++; index < plan.size(); index = next++) {
      if (failed && !opts.keep_going) return;
      case_result result = run_case(*plan[index].spec, plan[index].file, opts.variables);
      if (!result.passed) failed = true;
      std::lock_guard lock(printing);
      print_result(result);
      slots[index] = std::move(result);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < opts.jobs; ++i) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  std::vector<case_result> results;
  for (auto& slot : slots)
    if (slot) results.push_back(std::move(*slot));
  return results;
}

int run(const options& opts) {
  const auto started = std::chrono::system_clock::now();
  std::vector<scenario_file> files;
  std::vector<case_result> results;
  for (const auto& path : opts.files) {
    auto loaded = load_scenario(path);
    if (loaded.ok()) {
      files.push_back(std::move(loaded.value()));
      continue;
    }
    // A file that does not parse is a failed case of its own: CI shows it like any other failure.
    results.push_back({path, "(the file)", false, loaded.error().reason, 0, 0, {}});
    print_result(results.back());
  }
  std::vector<planned_case> plan;
  for (const auto& file : files)
    for (const auto& one : file.cases) plan.push_back({file.path, &one});
  if (results.empty() || opts.keep_going) {
    auto ran = run_all(plan, opts);
    results.insert(results.end(), ran.begin(), ran.end());
  }
  int passed = 0;
  for (const auto& result : results) passed += result.passed ? 1 : 0;
  const int failed = static_cast<int>(results.size()) - passed;
  const std::size_t ran_from_plan = results.size() - (opts.files.size() - files.size());
  if (ran_from_plan < plan.size())
    std::printf("(%zu cases not run after a failure: --keep-going runs them)\n", plan.size() - ran_from_plan);
  std::printf("%d passed, %d failed\n", passed, failed);
  if (!opts.junit_file.empty()) {
    std::ofstream out(opts.junit_file, std::ios::binary | std::ios::trunc);
    out << junit_xml(results, started);
    if (!out) {
      std::fprintf(stderr, "sim7600-scenario: cannot write %s\n", opts.junit_file.c_str());
      return 2;
    }
  }
  return failed == 0 && !results.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  if (auto answered = cli::answer(parsed, "sim7600-scenario", usage_text, std::cout, std::cerr))
    return common::exit_status(*answered);
  const options& opts = parsed->args;
  if (!opts.from_transcript.empty()) return print_replay(opts.from_transcript);
  return run(opts);
}
