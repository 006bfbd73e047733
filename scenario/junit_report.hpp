#pragma once
// JUnit XML for scenario runs: one <testsuite> per scenario file, one <testcase> per case, <failure> with the
// runner's message (common/junit_xml writes the document). Sans-I/O: results and a start time in, the document out.
#include <chrono>
#include <string>
#include <vector>

namespace scenario {

struct case_result {
  std::string file;  // the scenario file, as given on the command line
  std::string name;
  bool passed = false;
  std::string message;      // why it failed (file:line first), empty when it passed
  double seconds = 0;       // wall time of the case
  double step_seconds = 0;  // of which its steps (the rest: starting the module and the service, stopping them)
  std::string port_output;  // what the module sent during the case (for <system-out>)
};

std::string junit_xml(const std::vector<case_result>& results, std::chrono::system_clock::time_point started);

}  // namespace scenario
