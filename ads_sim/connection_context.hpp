#pragma once
// connection_context: what every HTTPS connection of one service shares. Sessions hold it, so it outlives a
// destroyed `service` until the last connection has closed.
#include <algorithm>
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <string_view>
#include <thread>

#include "ads_sim/core_queue.hpp"
#include "ads_sim/service_limits.hpp"
#include "ads_sim/shared_core.hpp"
#include "ads_sim/worker_pool.hpp"

namespace ads_sim {

struct connection_context {
  connection_context(const database_url& database, std::string admin_token)
      : core(database, std::move(admin_token)), tls(boost::asio::ssl::context::tls_server) {}

  shared_core core;
  boost::asio::ssl::context tls;
  std::function<void(std::string_view line)> log;  // one line per request or failure
  service_limits limits;
  std::atomic<std::uint64_t> next_connection_id{1};
  // The core's calls leave the I/O thread; key generation and password hashing have threads of their own, one per
  // core, so a batch of factory devices never holds up the requests queued behind it. They run at normal priority:
  // at nice 10 a fleet's first start on a busy machine (a parallel build, a CI run) took minutes per hundred keys.
  worker_pool core_workers{1};
  worker_pool key_workers{std::max(1u, std::thread::hardware_concurrency())};
  core_queue requests{core, core_workers};  // the connections' requests, handled in groups on core_workers
  std::atomic<bool> stopping{false};  // key generation gives up between keys

  void stop_work() {
    stopping = true;
    key_workers.shutdown();
    core_workers.shutdown();
    requests.stop();
  }
};

}  // namespace ads_sim
