#include "common/junit_xml.hpp"

#include <cstdio>
#include <ctime>

#include "common/xml_text.hpp"

namespace common {

namespace {

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

std::string timestamp_text(std::chrono::system_clock::time_point at) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

struct totals {
  std::size_t tests = 0, failures = 0;
  double seconds = 0;
};

totals suite_totals(const junit_suite& suite) {
  totals sum;
  for (const auto& test : suite.cases) {
    ++sum.tests;
    sum.failures += test.failure ? 1 : 0;
    sum.seconds += test.seconds;
  }
  return sum;
}

}  // namespace

std::string junit_document(const std::string& name, const std::vector<junit_suite>& suites,
                           std::chrono::system_clock::time_point started) {
  totals all;
  for (const auto& suite : suites) {
    const totals sum = suite_totals(suite);
    all.tests += sum.tests;
    all.failures += sum.failures;
    all.seconds += sum.seconds;
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"" + xml_escaped(name) + "\" tests=\"" + std::to_string(all.tests) + "\" failures=\"" +
         std::to_string(all.failures) + "\" errors=\"0\" time=\"" + seconds_text(all.seconds) + "\">\n";
  const std::string timestamp = timestamp_text(started);
  int id = 0;
  for (const auto& suite : suites) {
    const totals sum = suite_totals(suite);
    xml += "  <testsuite name=\"" + xml_escaped(suite.name) + "\" tests=\"" + std::to_string(sum.tests) +
           "\" failures=\"" + std::to_string(sum.failures) + "\" errors=\"0\" skipped=\"0\" time=\"" +
           seconds_text(sum.seconds) + "\" timestamp=\"" + timestamp + "\" hostname=\"localhost\" id=\"" +
           std::to_string(id++) + "\" package=\"" + xml_escaped(suite.package) + "\">\n";
    xml += "    <properties/>\n";
    for (const auto& test : suite.cases) {
      xml += "    <testcase name=\"" + xml_escaped(test.name) + "\" classname=\"" + xml_escaped(test.classname) +
             "\" time=\"" + seconds_text(test.seconds) + "\">\n";
      if (test.failure) {
        const std::string& message = test.failure->message;
        xml += "      <failure message=\"" + xml_escaped(message.substr(0, message.find('\n'))) + "\" type=\"" +
               xml_escaped(test.failure->type) + "\">" + xml_escaped(message) + "</failure>\n";
      }
      xml += "      <system-out>" + xml_escaped(test.system_out) + "</system-out>\n";
      xml += "    </testcase>\n";
    }
    xml += "    <system-err/>\n";
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace common
