// ads-sim: the Ayla-like device service as a program (SPEC §1). Prints one ready line, serves until SIGINT/SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdlib>
#include <iostream>

#include "ads_sim/command_line.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  auto command = ads_sim::parse_command_line(args, std::getenv("XDG_STATE_HOME"), std::getenv("HOME"));
  if (command.help) {
    std::cout << ads_sim::usage_text;
    return 0;
  }
  if (!command.error.empty()) {
    std::cerr << "ads-sim: " << command.error << "\n" << ads_sim::usage_text;
    return 2;
  }

  boost::asio::io_context io;
  std::string error;
  auto service = ads_sim::server::start(io, std::move(command.options), error);
  if (!service) {
    std::cerr << "ads-sim: " << error << std::endl;
    return 1;
  }
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
