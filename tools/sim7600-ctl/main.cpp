// sim7600-ctl: drive a running sim7600-emu's world through its control API (see --help).
#include <cstdlib>
#include <iostream>

#include "control/run.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return sim7600_ctl::run_ctl(
      args,
      [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
      },
      std::cout, std::cerr);
}
