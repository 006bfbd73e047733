// ads-sim: the Ayla-like device service as a program (SPEC §1). Prints one ready line, serves until SIGINT/SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdlib>
#include <iostream>

#include "ads_sim/command_line.hpp"
#include "ads_sim/connection_limit.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  auto parsed = ads_sim::parse_command_line(args, std::getenv("XDG_STATE_HOME"), std::getenv("HOME"));
  if (auto answered = cli::answer(parsed, "ads-sim", ads_sim::usage_text, std::cout, std::cerr))
    return common::exit_status(*answered);

  auto& options = parsed.value().args;
  const auto connections = ads_sim::fit_connection_limit(options.max_connections);
  if (!connections) {
    std::cerr << "ads-sim: " << connections.error().reason << std::endl;
    return common::exit_status(common::exit_code::failed);
  }
  options.limits.max_connections = *connections;
  boost::asio::io_context io;
  auto started = ads_sim::server::start(io, std::move(options));
  if (!started) {
    std::cerr << "ads-sim: " << started.error().reason << std::endl;
    return common::exit_status(started.error().code);
  }
  auto service = std::move(started).value();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    service->stop();
    io.stop();
  });
  if (const auto notice = service->console_notice()) std::cerr << *notice << std::endl;
  std::cout << service->ready_line() << std::endl;
  io.run();
  service.reset();  // before the io_context it runs on
  return 0;
}
