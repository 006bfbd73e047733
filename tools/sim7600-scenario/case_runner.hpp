#pragma once
// Runs one case to its end: a fresh module (and device service) of its own, its steps in order, the first failure
// ends it. Never throws: what went wrong is in the result, with the step's file:line.
#include <string>

#include "tools/sim7600-scenario/junit_report.hpp"
#include "tools/sim7600-scenario/scenario.hpp"

namespace scenario {

case_result run_case(const scenario_case& spec, const std::string& file);

}  // namespace scenario
