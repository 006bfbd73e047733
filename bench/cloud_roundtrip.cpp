// cloud_roundtrip: the cost of the cloud path, beside what the same device service allows.
// 1. Latency (p50/p99) from AT+ADA="s" to its +ADA: "s",...,"status" URC, through the PTY and the real ads-sim.
// 2. Pipelined sends per second (the host waits for each OK, never for the status).
// 3. Baseline, same run, same ads-sim: plain HTTPS datapoint POSTs over one kept-alive connection, one at a time.
// 4. ads-sim alone with many devices: device logins and datapoint POSTs per second over concurrent connections.
// 5. Datapoint POST latency from 100 devices while an admin creates 100 factory devices (RSA key generation),
//    beside the same POSTs with the service otherwise idle (target: p99 under 50 ms).
// Usage: cloud_roundtrip [sends=2000] [devices=1000] [posts per device=10] [connections=16]. Prints figures only.
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "ads_client/device_auth.hpp"
#include "ads_client/device_protocol.hpp"
#include "ads_client/https_client.hpp"
#include "bench/bench_stats.hpp"
#include "bench/service_load.hpp"
#include "harness/cloud_fixtures.hpp"

namespace {

using namespace std::chrono_literals;
namespace api = ads_client::device_api;
using bench::clock_type;
using bench::figures;

// A device of its own talking HTTPS to the service: logs in, then runs `count` datapoint POSTs one after another.
figures plain_https_posts(const e2e::device_service& service, const e2e::factory_device& device, int count) {
  boost::asio::io_context io;
  auto client = ads_client::https_client::create(
      io.get_executor(), {service.host(), service.port(), "localhost", service.ca_file().string()});
  ads_client::device_auth auth;
  auth.set_key(ads_client::rsa_key::public_from_base64_body(device.public_key));
  const auto now = [] { return std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count(); };
  std::int64_t key = 0;
  auto login = api::get_dsn(device.dsn);
  auth.sign(login, now());
  client->request(login, 10s, [&](ads_client::http_outcome outcome) {
    auto& response = std::get<ads_client::http_response>(outcome);
    auth.on_response(response, now());
    key = api::parse_dsn(response)->key;
  });
  io.run();
  io.restart();

  std::vector<double> micros;
  int sent = 0;
  const auto start = clock_type::now();
  std::function<void()> next = [&] {
    if (sent == count) return;
    auto request = api::post_datapoint(key, "baseline", "integer", sent, {});
    auth.sign(request, now());
    ++sent;
    const auto t0 = clock_type::now();
    client->request(std::move(request), 10s, [&, t0](ads_client::http_outcome) {
      micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
      next();
    });
  };
  next();
  io.run();
  client->close();
  return bench::summarise(std::move(micros), bench::seconds_since(start));
}

void print(const char* what, const figures& f) {
  std::printf("%-44s p50 %8.1f us   p99 %8.1f us   %8.0f /s\n", what, f.p50_us, f.p99_us, f.per_second);
}

int run(int argc, char** argv) {
  const int sends = argc > 1 ? std::max(100, std::atoi(argv[1])) : 2000;
  const int device_count = argc > 2 ? std::max(10, std::atoi(argv[2])) : 1000;
  const int posts_per_device = argc > 3 ? std::max(1, std::atoi(argv[3])) : 10;
  const int connections = argc > 4 ? std::max(1, std::atoi(argv[4])) : 16;
  e2e::device_service service;
  const auto admin = e2e::admin_of(service);
  const auto devices = e2e::make_factory_devices(admin, "be0c0001", 2);
  auto module = e2e::module_for(service, devices[0]);
  auto& port = module->port;
  e2e::enable_and_listen(port);

  // 1. One send at a time: the host waits for the status before the next.
  int value = 0;
  const figures latency = bench::measure(sends / 4, [&] {
    port.command("AT+ADA=\"s\",\"latency\",\"i\",\"" + std::to_string(value++) + "\"");
    port.read_until("\"status\",0\r\n", 10s);
  });

  // 2. Pipelined: only the OKs are waited for; the statuses come back while the host keeps sending.
  const std::string status = "+ADA: \"s\",\"pipelined\",\"status\",0\r\n";
  std::string seen;
  const auto start = clock_type::now();
  for (int i = 0; i < sends; ++i) seen += port.command("AT+ADA=\"s\",\"pipelined\",\"i\",\"" + std::to_string(i) + "\"");
  std::size_t statuses = 0;
  for (auto at = seen.find(status); at != std::string::npos; at = seen.find(status, at + 1)) ++statuses;
  e2e::read_until_count(port, status, static_cast<std::size_t>(sends) - statuses, 120s);
  const double pipelined_rate = sends / bench::seconds_since(start);
  module->module.terminate();

  // 3. The same service, plain HTTPS, one kept-alive connection, one POST at a time.
  const figures baseline = plain_https_posts(service, devices[1], sends);

  std::printf("cloud_roundtrip: %d sends; service and module on this machine (loopback)\n", sends);
  print("AT+ADA=\"s\" -> status URC (through the PTY)", latency);
  std::printf("%-44s %8.0f sends/s\n", "pipelined AT+ADA=\"s\" (all statuses in)", pipelined_rate);
  print("baseline: HTTPS POST datapoint, kept alive", baseline);
  std::printf("%-44s %7.1f%% of the baseline's rate (target >= 80%%)\n", "pipelined sends", 100.0 * pipelined_rate / baseline.per_second);
  std::printf("%-44s %+8.1f us (target <= 1000 us)\n", "p50 above the baseline's", latency.p50_us - baseline.p50_us);

  // 4. ads-sim alone, many devices.
  std::printf("creating %d factory devices (RSA key generation dominates)...\n", device_count);
  std::fflush(stdout);
  const auto many = bench::create_devices(admin, "be0c0001", "load", device_count);
  const int load_posts = posts_per_device * device_count;
  const auto load = bench::service_under_load(bench::endpoint_of(service), many, connections, load_posts);
  std::printf("ads-sim, %zu devices, %d connections: %8.0f logins/s (RSA client auth), %8.0f datapoint POSTs/s "
              "(%d posts)\n", many.size(), connections, load.logins_per_second, load.posts.per_second, load_posts);
  // The client shares the machine: the service's own CPU per POST says what it would answer with the cores to itself.
  std::printf("%-44s %8.1f us of ads-sim, %.1f us of this client (%ld cores shared)\n", "CPU time per datapoint POST",
              load.service_cpu_us_per_post, load.client_cpu_us_per_post, sysconf(_SC_NPROCESSORS_ONLN));

  // 5. The same POSTs from 100 devices, idle and while 100 factory devices are being made.
  const std::vector<e2e::factory_device> hundred(many.begin(), many.begin() + std::min<std::size_t>(100, many.size()));
  const int busy_posts = 20 * static_cast<int>(hundred.size());
  const auto idle = bench::service_under_load(bench::endpoint_of(service), hundred, 16, busy_posts);
  std::string creation_error;
  std::thread creating([&] {
    try {
      bench::create_devices(admin, "be0c0001", "busy", 100);
    } catch (const std::exception& failure) {
      creation_error = failure.what();
    }
  });
  std::this_thread::sleep_for(200ms);  // the batch's request reaches the service first
  const auto busy = bench::service_under_load(bench::endpoint_of(service), hundred, 16, busy_posts);
  creating.join();
  if (!creation_error.empty()) throw std::runtime_error(creation_error);
  print("datapoint POST, 100 devices, service idle", idle.posts);
  print("... while 100 factory devices are made", busy.posts);
  std::printf("%-44s %8.1f ms (target < 50 ms)\n", "p99 while devices are made", busy.posts.p99_us / 1000.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::run_main("cloud_roundtrip", argc, argv, run); }
