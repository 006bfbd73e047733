#pragma once
// Shared by the benchmarks that load ads-sim as many devices at once (cloud_roundtrip, replicas_haproxy): factory
// devices made in batches, then logins and datapoint POSTs over concurrent kept-alive connections to one address
// (one ads-sim, or HAProxy in front of replicas).
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ads_client/device_auth.hpp"
#include "ads_client/device_protocol.hpp"
#include "ads_client/https_client.hpp"
#include "bench/bench_stats.hpp"
#include "harness/cloud_fixtures.hpp"

namespace bench {

using namespace std::chrono_literals;

// Where the devices connect: host, port and the CA that signed the certificate presented there.
struct endpoint {
  std::string host, port, ca_file;
  pid_t pid = 0;  // the service's process, for its CPU time
};

inline endpoint endpoint_of(const e2e::device_service& service) {
  return {service.host(), service.port(), service.ca_file().string(), service.pid()};
}

// Many devices against the service at once over `connections` kept-alive connections: first every device logs in
// (RSA client auth, answered with a token), then `posts` datapoints go out round-robin over the devices.
struct load_figures {
  double logins_per_second = 0;
  figures posts;  // each POST's round trip, and the rate of all
  // CPU time per POST of the service's process (all its threads) and of this one (the client), over the POSTs: on
  // a machine both share, what the service would answer with the cores to itself.
  double service_cpu_us_per_post = 0;
  double client_cpu_us_per_post = 0;
};

inline load_figures service_under_load(const endpoint& service, const std::vector<e2e::factory_device>& devices,
                                       int connections, int posts) {
  boost::asio::io_context io;
  const auto now = [] { return std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count(); };
  std::vector<std::shared_ptr<ads_client::https_client>> clients;
  for (int i = 0; i < connections; ++i) {
    clients.push_back(ads_client::https_client::create(
        io.get_executor(), {service.host, service.port, "localhost", service.ca_file}));
  }
  std::vector<ads_client::device_auth> auths(devices.size());
  std::vector<std::int64_t> keys(devices.size());

  // Each connection works through its share of the jobs, one request at a time.
  const auto run = [&](std::size_t jobs, const std::function<void(std::size_t job, std::function<void()> done)>& job) {
    std::vector<std::function<void()>> loops(clients.size());
    for (std::size_t c = 0; c < clients.size(); ++c) {
      auto next = std::make_shared<std::size_t>(c);
      loops[c] = [&, c, next] {
        if (*next >= jobs) return;
        const std::size_t mine = *next;
        *next += clients.size();
        job(mine, loops[c]);
      };
    }
    const auto start = clock_type::now();
    for (auto& loop : loops) loop();
    io.run();
    io.restart();
    return static_cast<double>(jobs) / bench::seconds_since(start);
  };

  const double logins = run(devices.size(), [&](std::size_t d, std::function<void()> done) {
    auths[d].set_key(ads_client::rsa_key::public_from_base64_body(devices[d].public_key));
    auto login = ads_client::device_api::get_dsn(devices[d].dsn);
    auths[d].sign(login, now());
    clients[d % clients.size()]->request(login, 30s, [&, d, done](ads_client::http_outcome outcome) {
      auto& response = std::get<ads_client::http_response>(outcome);
      auths[d].on_response(response, now());
      keys[d] = ads_client::device_api::parse_dsn(response)->key;
      done();
    });
  });
  std::vector<double> micros;
  const double service_cpu_before = service.pid ? cpu_seconds(service.pid) : 0;
  const double client_cpu_before = cpu_seconds(::getpid());
  const double post_rate = run(static_cast<std::size_t>(posts), [&](std::size_t i, std::function<void()> done) {
    const std::size_t d = i % devices.size();
    auto post = ads_client::device_api::post_datapoint(keys[d], "load", "integer", static_cast<std::int64_t>(i), {});
    auths[d].sign(post, now());
    const auto t0 = clock_type::now();
    clients[i % clients.size()]->request(post, 30s, [&micros, t0, done](ads_client::http_outcome) {
      micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
      done();
    });
  });
  const auto per_post = [posts](double seconds) { return 1e6 * seconds / posts; };
  const double service_cpu = service.pid ? per_post(cpu_seconds(service.pid) - service_cpu_before) : 0;
  const double client_cpu = per_post(cpu_seconds(::getpid()) - client_cpu_before);
  for (auto& client : clients) client->close();
  auto summary = bench::summarise(std::move(micros), 1.0);
  summary.per_second = post_rate;
  return {logins, summary, service_cpu, client_cpu};
}

// Factory devices of the OEM (made before), `count` of them in batches of 100; throws with the service's reason on failure.
inline std::vector<e2e::factory_device> create_devices(const e2e::admin_client& admin, const std::string& oem_id,
                                                      const std::string& model, int count) {
  std::vector<e2e::factory_device> made;
  while (static_cast<int>(made.size()) < count) {
    const int batch_size = std::min(100, count - static_cast<int>(made.size()));
    const auto batch = admin.post("/oems/" + oem_id + "/devices", {{"model", model}, {"count", batch_size}});
    if (const auto why = batch.failure(201); !why.empty()) throw std::runtime_error("create devices: " + why);
    for (const auto& d : batch.body.at("devices")) made.push_back({oem_id, "", model, d.at("dsn"), d.at("public_key")});
  }
  return made;
}

}  // namespace bench
