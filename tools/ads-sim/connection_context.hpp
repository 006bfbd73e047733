#pragma once
// connection_context: what every HTTPS connection of one service shares. Sessions hold it, so it outlives a
// destroyed `service` until the last connection has closed.
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <string_view>

#include "tools/ads-sim/shared_core.hpp"

namespace ads_sim {

struct connection_context {
  connection_context(const std::filesystem::path& database_file, std::string admin_token)
      : core(database_file, std::move(admin_token)), tls(boost::asio::ssl::context::tls_server) {}

  shared_core core;
  boost::asio::ssl::context tls;
  std::function<void(std::string_view line)> log;  // one line per request or failure
  std::atomic<std::uint64_t> next_connection_id{1};
};

}  // namespace ads_sim
