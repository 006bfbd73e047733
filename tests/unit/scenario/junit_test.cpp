// JUnit XML: suites per file, a failure with its message, text escaped (common/xml_text_test.cpp: the escaping).
#include <catch2/catch.hpp>

#include "scenario/junit_report.hpp"

using namespace scenario;

TEST_CASE("one testsuite per file, failures counted and carried", "[scenario][junit]") {
  const std::vector<case_result> results = {
      {"scenarios/a.yaml", "first", true, "", 1.5, 0.5, "OK\r\n"},
      {"scenarios/a.yaml", "second <b>", false, "a.yaml:3: expected `OK`, got `ERROR`\n  more", 0.25, 0, ""},
      {"scenarios/b.yaml", "third", true, "", 0, 0, ""},
  };
  const std::string xml = junit_xml(results, std::chrono::system_clock::time_point{});
  CHECK(xml.find("<testsuites name=\"sim7600-scenario\" tests=\"3\" failures=\"1\" errors=\"0\" time=\"1.750\">") !=
        std::string::npos);
  CHECK(xml.find("<testsuite name=\"scenarios/a.yaml\" tests=\"2\" failures=\"1\"") != std::string::npos);
  CHECK(xml.find("timestamp=\"1970-01-01T00:00:00\"") != std::string::npos);
  CHECK(xml.find("<testcase name=\"second &lt;b&gt;\" classname=\"scenarios.a\" time=\"0.250\">") != std::string::npos);
  CHECK(xml.find("<failure message=\"a.yaml:3: expected `OK`, got `ERROR`\" type=\"scenario\">a.yaml:3: expected "
                 "`OK`, got `ERROR`\n  more</failure>") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"scenarios/b.yaml\" tests=\"1\" failures=\"0\"") != std::string::npos);
}
