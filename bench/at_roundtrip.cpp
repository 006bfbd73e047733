// at_roundtrip: how fast the emulator answers through its PTY, beside the PTY's own limit.
// Measures, against the real daemon, the latency (send -> final result code received) of `AT` and of
// AT+ADA="status" (p50, p99) and commands per second; then the same round trip through a bare PTY pair whose other
// end is a thread echoing bytes back (the physical limit), and prints the ratios. Prints figures only.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_stats.hpp"
#include "tests/e2e/support/harness.hpp"

namespace {

using bench::figures;
using bench::measure;

// A bare PTY pair with a thread echoing every byte back from the master: the round trip the kernel allows.
figures pty_echo_baseline(int count, std::size_t request_size, std::size_t answer_size) {
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return {};
  termios tio{};
  ::tcgetattr(slave, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(slave, TCSANOW, &tio);
  std::atomic<bool> stop{false};
  // Answers each request with as many bytes as the module's answer has, as soon as the request is in.
  std::thread echo([&] {
    std::string pending;
    const std::string answer(answer_size, 'x');
    while (!stop) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(master, buffer, sizeof buffer);
      if (n <= 0) break;
      pending.append(buffer, static_cast<std::size_t>(n));
      while (pending.size() >= request_size) {
        pending.erase(0, request_size);
        if (::write(master, answer.data(), answer.size()) < 0) break;
      }
    }
  });
  e2e::host_port host = e2e::host_port::adopt(slave);
  const std::string request(request_size, 'r'), answer(answer_size, 'x');
  const figures result = measure(count, [&] {
    host.send(request);
    host.expect(answer);
  });
  stop = true;
  echo.join();
  ::close(master);
  return result;
}

void print(const char* what, const figures& f) {
  std::printf("%-34s p50 %8.1f us   p99 %8.1f us   %9.0f cmd/s\n", what, f.p50_us, f.p99_us, f.per_second);
}

void print_ratio(const char* what, const figures& emulator, const figures& limit) {
  std::printf("%-34s p50 x%-7.1f      p99 x%-7.1f      %6.1f%% of the PTY's rate\n", what,
              emulator.p50_us / limit.p50_us, emulator.p99_us / limit.p99_us,
              100.0 * emulator.per_second / limit.per_second);
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::max(100, std::atoi(argv[1])) : 5000;
  std::printf("at_roundtrip: %d round trips each (echo on, as a host sees it)\n", count);

  // The answers as the module gives them (echo on), so the baseline moves the same number of bytes.
  const std::string at_answer = "AT\r\r\nOK\r\n";
  const std::string status_line = "AT+ADA=\"status\"";
  const std::string status_answer = status_line + "\r\r\n+ADA: \"status\",15,3\r\n\r\nOK\r\n";
  const figures at_limit = pty_echo_baseline(count, 3, at_answer.size());
  const figures status_limit = pty_echo_baseline(count, status_line.size() + 1, status_answer.size());

  e2e::booted_module module;
  const figures at = measure(count, [&] { module.port.command("AT"); });
  const figures status = measure(count, [&] { module.port.command(status_line); });
  module.module.terminate();

  print("emulator AT", at);
  print("emulator AT+ADA=\"status\"", status);
  print("PTY echo baseline (AT sizes)", at_limit);
  print("PTY echo baseline (status sizes)", status_limit);
  print_ratio("AT vs baseline", at, at_limit);
  print_ratio("AT+ADA=\"status\" vs baseline", status, status_limit);
  return 0;
}
