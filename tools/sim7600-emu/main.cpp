// sim7600-emu: one emulated SIM7600 module on a pseudo-TTY / serial device / TCP (SPEC §1).
#include <cstdlib>
#include <iostream>

#include "common/exit_code.hpp"
#include "tools/sim7600-emu/options.hpp"
#include "tools/sim7600-emu/runtime.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = sim7600_emu::parse_command_line(args, [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  });
  if (!parsed) {
    std::cerr << "sim7600-emu: " << parsed.error().reason << "\n";
    return common::exit_status(common::exit_code::usage);
  }
  if (parsed->what == sim7600_emu::command_line::action::show_help) {
    std::cout << sim7600_emu::usage_text();
    return common::exit_status(common::exit_code::ok);
  }
  sim7600_emu::runtime runtime(std::move(parsed.value().options));
  return runtime.run();
}
