// sim7600-emu: one emulated SIM7600 module on a pseudo-TTY / serial device / TCP (SPEC §1).
#include <cstdlib>
#include <iostream>

#include "emulator/options.hpp"
#include "emulator/runtime.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = sim7600_emu::parse_command_line(args, [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  });
  if (auto answered = cli::answer(parsed, "sim7600-emu", sim7600_emu::usage_text, std::cout, std::cerr))
    return common::exit_status(*answered);
  sim7600_emu::runtime runtime(std::move(parsed.value().args));
  return runtime.run();
}
