// replicas_haproxy: ads-sim replicas on one PostgreSQL behind HAProxy (issue 15), figures printed side by side.
// 1. Datapoint POSTs/s from many devices over 16 connections: one replica reached directly, one replica behind
//    HAProxy, two replicas behind HAProxy (the same devices, the same database, one run).
// 2. Cross-replica notification latency: a to-device property set through replica A's admin API -> its +ADA: "p"
//    URC on a module whose cloud session and ANS registration are on replica B (LISTEN/NOTIFY between them).
// 3. A replica killed (kill -9) under modules connected through HAProxy (the one holding most of their ANS
//    registrations): the time until each module registered on it has a change made through the survivor (it
//    reconnected, registered again and caught up).
// Usage: replicas_haproxy SERVER_URL [devices=400] [changes=100] [modules=6]
//   SERVER_URL: a PostgreSQL server without a database name, e.g. after scripts/postgres-fixture.sh start /tmp/pg,
//   "$(cat /tmp/pg/url)"; a database of its own is made on it and dropped at the end. Prints figures only.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "bench/bench_stats.hpp"
#include "bench/service_load.hpp"
#include "harness/cloud_fixtures.hpp"
#include "harness/haproxy_proxy.hpp"
#include "harness/postgres_database.hpp"

namespace {

using namespace std::chrono_literals;
using bench::clock_type;
using bench::figures;

bench::endpoint endpoint_of(const e2e::haproxy_proxy& proxy, const e2e::device_service& any_replica) {
  return {"127.0.0.1", proxy.port(), any_replica.ca_file().string()};
}

// Waits until `replica` says the device holds an ANS registration (with any replica: the store keeps it); asks at
// least once, false at the deadline.
bool listening_on(const e2e::device_service& replica, const std::string& dsn, std::chrono::seconds deadline) {
  const auto until = clock_type::now() + deadline;
  do {
    const auto device = e2e::admin_of(replica).get("/devices/" + dsn);
    if (device.status == 200 && device.body.value("listening", false)) return true;
  } while (clock_type::now() < until);
  return false;
}

// Whether the device registered with `replica`'s own ANS: its log's line for the registration.
bool registered_with(const e2e::device_service& replica, std::int64_t device_key) {
  return replica.log_text().find("ads-sim: ANS: device " + std::to_string(device_key) + " registered\n") !=
         std::string::npos;
}

void print_rate(const char* what, const bench::load_figures& load) {
  std::printf("%-52s %8.0f datapoint POSTs/s   p50 %6.2f ms   p99 %6.2f ms\n", what, load.posts.per_second,
              load.posts.p50_us / 1000.0, load.posts.p99_us / 1000.0);
}

int run(int argc, char** argv) {
  if (argc < 2) throw std::runtime_error("usage: replicas_haproxy SERVER_URL [devices] [changes] [modules]");
  const int device_count = argc > 2 ? std::max(16, std::atoi(argv[2])) : 400;
  const int changes = argc > 3 ? std::max(20, std::atoi(argv[3])) : 100;
  const int module_count = argc > 4 ? std::max(2, std::atoi(argv[4])) : 6;
  e2e::postgres_database database(argv[1]);
  e2e::device_service a({"--db", database.url()});
  e2e::device_service b(a, {"--db", database.url()});
  const auto admin = e2e::admin_of(a);
  const auto pair = e2e::make_factory_devices(admin, "be0c0015", 2 + module_count);

  // 1. POSTs/s: one replica directly, one behind HAProxy, both behind HAProxy.
  const auto devices = bench::create_devices(admin, "be0c0015", "load", device_count);
  const int posts = 10 * device_count;
  const auto direct = bench::service_under_load(bench::endpoint_of(a), devices, 16, posts);
  bench::load_figures one, two;
  {
    e2e::haproxy_proxy proxy(e2e::replicas_of({&a}));
    one = bench::service_under_load(endpoint_of(proxy, a), devices, 16, posts);
  }
  {
    e2e::haproxy_proxy proxy(e2e::replicas_of({&a, &b}));
    two = bench::service_under_load(endpoint_of(proxy, a), devices, 16, posts);
  }

  // 2. Set through A, the module on B.
  const auto& device = pair[0];
  figures cross;
  {
    auto module = e2e::module_for(b, device);
    auto& port = module->port;
    e2e::enable_and_listen(port);
    if (!listening_on(b, device.dsn, 10s)) throw std::runtime_error("the module never registered with ANS on B");
    const std::string path = "/devices/" + device.dsn + "/properties/Blue_LED";
    int value = 0;
    cross = bench::measure(changes, [&] {
      value ^= 1;
      const std::string urc = "+ADA: \"p\",\"Blue_LED\",\"b\"," + std::to_string(value) + "\r\n";
      if (admin.put(path, {{"value", value}, {"base_type", "boolean"}}).status != 200)
        throw std::runtime_error("the admin API refused the change");
      if (!port.read_until(urc, 10s).ends_with(urc)) throw std::runtime_error("no p URC within 10 s");
    });
  }

  std::printf("replicas_haproxy: %d devices, %d POSTs each way, 16 connections; PostgreSQL, replicas and HAProxy on "
              "this machine (loopback)\n", device_count, posts);
  print_rate("one replica, directly", direct);
  print_rate("one replica behind HAProxy", one);
  print_rate("two replicas behind HAProxy", two);
  std::printf("%-52s %8.2f (two replicas behind HAProxy / one behind HAProxy)\n", "ratio", two.posts.per_second /
              one.posts.per_second);
  std::printf("%-52s p50 %8.2f ms   p99 %8.2f ms (%d changes; target p99 < 1000 ms)\n",
              "set through A -> +ADA: \"p\" on a module on B", cross.p50_us / 1000.0, cross.p99_us / 1000.0, changes);
  std::fflush(stdout);
  // 3. Modules through HAProxy; a replica killed; a change per module of it made through the other right away; each
  // is back when its URC arrives (its poll interval is 300 s: only a new registration's catch-up or ANS brings it).
  e2e::haproxy_proxy proxy(e2e::replicas_of({&a, &b}));
  std::vector<std::unique_ptr<e2e::booted_module>> modules;
  for (int m = 0; m < module_count; ++m) {
    modules.push_back(e2e::module_at(proxy.url(), a.ca_file(), pair[2 + m]));
    e2e::enable_and_listen(modules.back()->port);
  }
  // The replica holding most of the modules' ANS registrations is the one killed.
  std::vector<e2e::booted_module*> on_a, on_b;
  for (int m = 0; m < module_count; ++m) {
    const auto& dsn = pair[2 + m].dsn;
    const std::int64_t key = admin.get("/devices/" + dsn).body.at("key");
    const auto until = clock_type::now() + 30s;  // the registration is UDP, straight to the replica that logged in
    while (!registered_with(a, key) && !registered_with(b, key))
      if (clock_type::now() > until) {
        std::printf("%-52s not measured: module %s registered with neither replica within 30 s\n",
                    "a replica killed -> its modules back through the other", dsn.c_str());
        return 0;
      }
    (registered_with(a, key) ? on_a : on_b).push_back(modules[m].get());
  }
  const bool kill_a = on_a.size() >= on_b.size();
  e2e::device_service& victim = kill_a ? a : b;
  const auto survivor = e2e::admin_of(kill_a ? b : a);
  const auto& victims_modules = kill_a ? on_a : on_b;
  std::vector<std::string> victims_dsns;
  for (int m = 0; m < module_count; ++m)
    if (std::find(victims_modules.begin(), victims_modules.end(), modules[m].get()) != victims_modules.end())
      victims_dsns.push_back(pair[2 + m].dsn);
  const auto killed = clock_type::now();
  victim.kill_hard();
  for (const auto& dsn : victims_dsns)
    if (survivor.put("/devices/" + dsn + "/properties/Blue_LED", {{"value", 1}, {"base_type", "boolean"}}).status !=
        200)
      throw std::runtime_error("the survivor refused the change");
  std::vector<double> back_micros;
  for (auto* module : victims_modules) {
    const std::string urc = "+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n";
    if (!module->port.read_until(urc, 60s).ends_with(urc))
      throw std::runtime_error("a module of the killed replica never came back");
    back_micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - killed).count());
  }
  const figures back = bench::summarise(back_micros, 1.0);

  std::printf("%-52s p50 %8.2f s    max %8.2f s (%zu of %d modules were on it)\n",
              "a replica killed -> its modules back through the other", back.p50_us / 1e6,
              *std::max_element(back_micros.begin(), back_micros.end()) / 1e6, victims_modules.size(), module_count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::run_main("replicas_haproxy", argc, argv, run); }
