#pragma once
// Scenario files (YAML, read with yaml-cpp) into the model of scenario.hpp. Every error names the file and line.
#include <chrono>
#include <string>
#include <string_view>

#include "scenario/outcome.hpp"
#include "scenario/scenario.hpp"

namespace scenario {

// `text` is the file's contents; `path` only names it in steps and errors.
outcome<scenario_file> parse_scenario(const std::string& text, const std::string& path);
outcome<scenario_file> load_scenario(const std::string& path);

}  // namespace scenario
