#pragma once
// fleet_file: a fleet file (YAML, docs: fleet/README.md) read into fleet_model's plain data, every rule of the
// format checked here so the runner never meets an impossible file. Errors are one line with the line number.
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "fleet/fleet_model.hpp"

namespace fleet {

// Why a fleet file is refused: the 1-based line of the offending node (0 when no line is to blame) and the reason.
struct fleet_file_error {
  int line = 0;
  std::string reason;
};

common::result<fleet_file, fleet_file_error> parse_fleet_file(std::string_view yaml_text);

// The file at `path`, parsed; a relative `scenario:` is taken from the fleet file's folder and must be readable.
// The error is "FILE:LINE: reason" ("FILE: reason" when no line is to blame), for the program to print and exit 2.
common::outcome<fleet_file> read_fleet_file(const std::filesystem::path& path);

}  // namespace fleet
