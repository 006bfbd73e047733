// ads-sim: the Ayla-like device service as a program (SPEC §1). Prints one ready line, serves until SIGINT/SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "tools/ads-sim/service.hpp"

namespace {

constexpr std::string_view usage =
    "usage: ads-sim [--listen HOST:PORT] [--data-dir DIR] [--admin-token TOKEN]\n"
    "  --listen HOST:PORT   address to serve HTTPS on (default 127.0.0.1:8443; port 0 = any free port)\n"
    "  --data-dir DIR       database, CA (DIR/ca.pem) and certificates (default ./ads-sim-data)\n"
    "  --admin-token TOKEN  bearer token of the admin API (default: generated once into DIR/admin-token)\n";

int bad_usage(const std::string& why) {
  std::cerr << "ads-sim: " << why << "\n" << usage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ads_sim::service_options options;
  options.data_dir = "ads-sim-data";
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= argc) return bad_usage("missing value for " + std::string(flag));
    const std::string value = argv[++i];
    if (flag == "--listen") {
      const auto address = ads_sim::parse_listen_address(value);
      if (!address) return bad_usage("--listen wants HOST:PORT, got " + value);
      options.listen_host = address->first;
      options.listen_port = address->second;
    } else if (flag == "--data-dir") {
      options.data_dir = value;
    } else if (flag == "--admin-token") {
      if (value.empty()) return bad_usage("--admin-token must not be empty");
      options.admin_token = value;
    } else {
      return bad_usage("unknown flag " + std::string(flag));
    }
  }

  boost::asio::io_context io;
  std::string error;
  auto service = ads_sim::service::start(io, options, error);
  if (!service) {
    std::cerr << "ads-sim: " << error << std::endl;
    return 1;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    service->stop();
    io.stop();
  });
  std::cout << service->ready_line() << std::endl;
  io.run();
  return 0;
}
