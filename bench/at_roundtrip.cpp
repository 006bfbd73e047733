// at_roundtrip: how fast the emulator answers through its PTY, beside the PTY's own limit.
// Measures, against the real daemon, the latency (send -> final result code received) of `AT` and of
// AT+ADA="status" (p50, p99) and commands per second, and of a host stack's init sequence of 20 mixed commands (per
// command); then the same round trip through a bare PTY pair whose other end is a thread echoing bytes back (the
// physical limit), and prints the ratios. Prints figures only.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_stats.hpp"
#include "harness/harness.hpp"

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

// What TinyGSM-style host stacks send at init, each answering OK on a registered module with its SIM ready.
constexpr const char* init_sequence[] = {
    "AT",          "AT+CMEE=2",  "AT+CGMI",    "AT+CGMM",     "AT+CGMR",     "AT+CGSN",    "AT+CTZR=0",
    "AT+CTZU=1",   "AT+CPIN?",   "AT+CSQ",     "AT+CREG?",    "AT+CGREG?",   "AT+CEREG?",  "AT+COPS?",
    "AT+CGDCONT?", "AT+CGATT?",  "AT+CBC",     "AT+CPMUTEMP", "AT+CNSMOD?",  "AT+CCLK?",
};
constexpr int init_sequence_size = static_cast<int>(std::size(init_sequence));

// Runs the init sequence `rounds` times; each command is one timed round trip. Stops at the first answer that is
// not OK, since figures of errors would say nothing about the commands.
figures init_sequence_figures(e2e::host_port& port, int rounds) {
  bool all_ok = true;
  int next = 0;
  const figures result = measure(rounds * init_sequence_size, [&] {
    const char* line = init_sequence[next++ % init_sequence_size];
    const std::string answer = port.command(line);
    if (all_ok && !answer.ends_with("\r\nOK\r\n")) {
      std::fprintf(stderr, "at_roundtrip: %s answered: %s\n", line, answer.c_str());
      all_ok = false;
    }
  });
  return all_ok ? result : figures{};
}

void print(const char* what, const figures& f) {
  std::printf("%-34s p50 %8.1f us   p99 %8.1f us   %9.0f cmd/s\n", what, f.p50_us, f.p99_us, f.per_second);
}

void print_ratio(const char* what, const figures& emulator, const figures& limit) {
  std::printf("%-34s p50 x%-7.2f     p99 x%-7.2f     %6.1f%% of the PTY's rate\n", what,
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
  const figures init = init_sequence_figures(module.port, std::max(10, count / init_sequence_size));
  module.module.terminate();
  // The baseline for the init sequence: a typical command and answer of it (AT+CSQ, echo on).
  const figures init_limit = pty_echo_baseline(count, 7, std::string("AT+CSQ\r\r\n+CSQ: 21,99\r\n\r\nOK\r\n").size());

  print("emulator AT", at);
  print("emulator AT+ADA=\"status\"", status);
  print("PTY echo baseline (AT sizes)", at_limit);
  print("emulator init sequence (20 mixed)", init);
  print("PTY echo baseline (status sizes)", status_limit);
  print("PTY echo baseline (AT+CSQ sizes)", init_limit);
  print_ratio("AT vs baseline", at, at_limit);
  print_ratio("AT+ADA=\"status\" vs baseline", status, status_limit);
  print_ratio("init sequence vs baseline", init, init_limit);
  return 0;
}
