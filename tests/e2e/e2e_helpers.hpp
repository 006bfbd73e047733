#pragma once
// Small checks several end-to-end tests share.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "harness/harness.hpp"

namespace e2e {

// A command line as the port shows it with echo on: the line, its CR, then the answer.
inline std::string echoed(const std::string& line, const std::string& answer) { return line + "\r" + answer; }

// A Debian program a test drives, when the machine has it.
inline bool installed(const std::string& program) { return std::filesystem::exists(program); }

// The next URC on the port is `line`.
inline void expect_urc(host_port& port, const std::string& line) {
  CHECK(port.read_until(line + "\r\n") == "\r\n" + line + "\r\n");
}

}  // namespace e2e
