// sim7600-fleet: N emulated SIM7600 modules in one process, each with a host, against one device service (SPEC §9).
#include <iostream>

#include "fleet/fleet_file.hpp"
#include "fleet/fleet_options.hpp"
#include "fleet/fleet_runner.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = fleet::parse_command_line(args);
  if (auto answered = cli::answer(parsed, "sim7600-fleet", fleet::usage_text, std::cout, std::cerr))
    return common::exit_status(*answered);
  fleet::fleet_options options = std::move(parsed.value().args);
  fleet::fleet_file file = fleet::default_fleet_file();
  if (options.fleet_file) {
    auto read = fleet::read_fleet_file(*options.fleet_file);
    if (!read) {
      std::cerr << "sim7600-fleet: " << read.error().reason << "\n";
      return common::exit_status(common::exit_code::usage);
    }
    file = std::move(read).value();
  }
  fleet::fleet_runner runner(std::move(options), std::move(file));
  return runner.run();
}
