#pragma once
// JUnit XML (the Jenkins/Ant shape GitLab and GitHub render) from suites of cases: the one writer behind
// sim7600-scenario's and sim7600-fleet's reports. Sans-I/O: suites and a start time in, the document out.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace common {

// Why a case failed: the attribute carries the message's first line, the element all of it.
struct junit_failure {
  std::string message;
  std::string type;
};

struct junit_case {
  std::string name;
  std::string classname;
  double seconds = 0;
  std::optional<junit_failure> failure;  // none: it passed
  std::string system_out;                // always written, empty or not, as CI tools expect the element
};

struct junit_suite {
  std::string name;
  std::string package;
  std::vector<junit_case> cases;  // in the order given; a suite's time is the sum of its cases'
};

// `name` names the whole run (<testsuites name=...>); every text is escaped with xml_escaped.
std::string junit_document(const std::string& name, const std::vector<junit_suite>& suites,
                           std::chrono::system_clock::time_point started);

}  // namespace common
