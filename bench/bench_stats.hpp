#pragma once
// Shared by the benchmarks: timing a round trip many times and summarising it (p50, p99, rate).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
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
