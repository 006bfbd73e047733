#pragma once
// Runs one case to its end: a fresh module (and device service) of its own, its steps in order, the first failure
// ends it. Never throws: what went wrong is in the result, with the step's file:line.
#include <string>

#include "scenario/junit_report.hpp"
#include "scenario/line_pattern.hpp"
#include "scenario/scenario.hpp"

namespace scenario {

// `given` are the variables of the command line (--var), known from the first step.
case_result run_case(const scenario_case& spec, const std::string& file, const variables& given);

}  // namespace scenario
