#pragma once
// Shared by the benchmarks: timing a round trip many times and summarising it (p50, p99, rate).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

using clock_type = std::chrono::steady_clock;

struct figures {
  double p50_us = 0, p99_us = 0, per_second = 0;
};

inline figures summarise(std::vector<double> micros, double total_seconds) {
  if (micros.empty()) return {};
  std::sort(micros.begin(), micros.end());
  const auto at = [&](double q) { return micros[static_cast<std::size_t>(q * static_cast<double>(micros.size() - 1))]; };
  return {at(0.50), at(0.99), static_cast<double>(micros.size()) / total_seconds};
}

// Runs `round_trip` `count` times (after a warm-up of a tenth as many) and times each.
template <typename RoundTrip>
figures measure(int count, RoundTrip round_trip) {
  for (int i = 0; i < count / 10; ++i) round_trip();
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(count));
  const auto start = clock_type::now();
  for (int i = 0; i < count; ++i) {
    const auto t0 = clock_type::now();
    round_trip();
    micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
  }
  return summarise(std::move(micros), std::chrono::duration<double>(clock_type::now() - start).count());
}

inline double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// utime + stime of `pid` (all its threads), in seconds: fields 14 and 15 of /proc/<pid>/stat, after the command
// name's ')'.
inline double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto name_end = text.rfind(')');
  if (name_end == std::string::npos) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state
    if (index == 14) utime = std::stoull(field);
    if (index == 15) {
      stime = std::stoull(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A benchmark's main: what stops it (a daemon that would not start, a bad argument) is one line and exit 1.
template <typename Run>
int run_main(const char* name, int argc, char** argv, Run run) {
  try {
    return run(argc, argv);
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "%s: %s\n", name, failure.what());
    return 1;
  }
}

}  // namespace bench
