// The JUnit document: totals per suite and overall, a failure's first line as its message, empty output kept.
#include <catch2/catch.hpp>

#include "common/junit_xml.hpp"

using namespace common;

TEST_CASE("a JUnit document counts its cases and carries failures", "[common][junit]") {
  const std::vector<junit_suite> suites = {
      {"first & second", "pkg.one",
       {{"passes", "pkg.one", 1.25, std::nullopt, "out"},
        {"fails", "pkg.one", 0.5, junit_failure{"why <it> failed\nmore", "kind"}, ""}}},
      {"empty", "pkg.two", {}},
  };
  const std::string xml = junit_document("run", suites, std::chrono::system_clock::time_point{});
  CHECK(xml.find("<testsuites name=\"run\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"1.750\">") !=
        std::string::npos);
  CHECK(xml.find("<testsuite name=\"first &amp; second\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
                 "time=\"1.750\" timestamp=\"1970-01-01T00:00:00\" hostname=\"localhost\" id=\"0\" "
                 "package=\"pkg.one\">") != std::string::npos);
  CHECK(xml.find("<failure message=\"why &lt;it&gt; failed\" type=\"kind\">why &lt;it&gt; failed\nmore</failure>") !=
        std::string::npos);
  CHECK(xml.find("<system-out>out</system-out>") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"empty\" tests=\"0\" failures=\"0\"") != std::string::npos);
}
