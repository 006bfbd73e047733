// ans_latency: how fast a cloud change reaches the host now that the module listens to ANS, and what an idle
// connected module costs.
// 1. A to-device property set through the admin API -> its +ADA: "p" URC on the PTY, p50/p99 (target <= 200 ms).
//    The module polls only every 300 s, so the event (ANS) is what delivers each change.
// 2. Baseline, same run, same ads-sim: the admin PUT's own round trip (what making the change costs).
// 3. CPU seconds the emulator process uses while connected, listening and idle (user + system, /proc/<pid>/stat),
//    over `idle` seconds (target < 1% of them).
// Usage: ans_latency [changes=200] [idle seconds=60]. Prints figures only.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench/bench_stats.hpp"
#include "harness/cloud_fixtures.hpp"

namespace {

using namespace std::chrono_literals;
using bench::cpu_seconds;
using bench::figures;

void print(const char* what, const figures& f) {
  std::printf("%-48s p50 %8.2f ms   p99 %8.2f ms\n", what, f.p50_us / 1000.0, f.p99_us / 1000.0);
}

int run(int argc, char** argv) {
  const int changes = argc > 1 ? std::max(20, std::atoi(argv[1])) : 200;
  const int idle_seconds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 60;
  e2e::device_service service;
  const auto admin = e2e::admin_of(service);
  const auto devices = e2e::make_factory_devices(admin, "be0c0002", 2);
  const auto& device = devices[0];
  auto module = e2e::module_for(service, device);
  auto& port = module->port;
  e2e::enable_and_listen(port);
  const auto registered_by = bench::clock_type::now() + 10s;
  while (admin.get("/devices/" + device.dsn).body.at("listening") != true) {
    if (bench::clock_type::now() > registered_by) throw std::runtime_error("the module never registered with ANS");
  }

  // 1. Each change, then its URC; values alternate so each one is a change.
  const std::string path = "/devices/" + device.dsn + "/properties/Blue_LED";
  int value = 0;
  const figures to_urc = bench::measure(changes, [&] {
    value ^= 1;
    const std::string urc = "+ADA: \"p\",\"Blue_LED\",\"b\"," + std::to_string(value) + "\r\n";
    if (admin.put(path, {{"value", value}, {"base_type", "boolean"}}).status != 200)
      throw std::runtime_error("the admin API refused the change");
    if (!port.read_until(urc, 10s).ends_with(urc)) throw std::runtime_error("no p URC within 10 s");
  });
  // 2. The admin PUT alone, to a property of another device nobody listens for.
  const auto& quiet = devices[1];
  int other = 0;
  const figures put_alone = bench::measure(changes, [&] {
    if (admin.put("/devices/" + quiet.dsn + "/properties/Blue_LED", {{"value", other ^= 1}, {"base_type", "boolean"}})
            .status != 200)
      throw std::runtime_error("the admin API refused the change");
  });

  // 3. Idle: connected, listening, nothing to do.
  const pid_t pid = module->module.pid();
  const double cpu_before = cpu_seconds(pid);
  std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));
  const double idle_cpu = cpu_seconds(pid) - cpu_before;
  const bool still_listening = admin.get("/devices/" + device.dsn).body.at("listening") == true;

  std::printf("ans_latency: %d changes; service and module on this machine (loopback)\n", changes);
  print("admin PUT -> +ADA: \"p\" URC (ANS event)", to_urc);
  print("baseline: the admin PUT alone", put_alone);
  std::printf("%-48s %8.2f ms (target <= 200 ms)\n", "p99 of a change reaching the host", to_urc.p99_us / 1000.0);
  std::printf("%-48s %8.3f CPU s in %d s = %.3f%% (target < 1%%)%s\n", "idle connected module (sim7600-emu)",
              idle_cpu, idle_seconds, 100.0 * idle_cpu / idle_seconds,
              still_listening ? "" : "; NOT listening at the end");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::run_main("ans_latency", argc, argv, run); }
