#include "scenario/junit_report.hpp"

#include <map>

#include "common/junit_xml.hpp"

namespace scenario {

namespace {

// "scenarios/note_3.yaml" -> "scenarios.note_3": the class name CI tools group cases by.
std::string class_name(const std::string& file) {
  std::string name = file.substr(0, file.rfind('.') == std::string::npos ? file.size() : file.rfind('.'));
  for (char& c : name)
    if (c == '/') c = '.';
  return name;
}

}  // namespace

std::string junit_xml(const std::vector<case_result>& results, std::chrono::system_clock::time_point started) {
  std::map<std::string, common::junit_suite> suites;  // by file, in name order: stable across -j
  for (const auto& result : results) {
    common::junit_suite& suite =
        suites.try_emplace(result.file, common::junit_suite{result.file, class_name(result.file), {}}).first->second;
    common::junit_case test{result.name, suite.package, result.seconds, std::nullopt, result.port_output};
    if (!result.passed) test.failure = common::junit_failure{result.message, "scenario"};
    suite.cases.push_back(std::move(test));
  }
  std::vector<common::junit_suite> ordered;
  for (auto& [file, suite] : suites) ordered.push_back(std::move(suite));
  return common::junit_document("sim7600-scenario", ordered, started);
}

}  // namespace scenario
