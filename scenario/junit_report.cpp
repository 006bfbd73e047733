#include "scenario/junit_report.hpp"

#include <cstdio>
#include <ctime>
#include <map>

#include "pty_bridge/transcript.hpp"

namespace scenario {

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

// "scenarios/note_3.yaml" -> "scenarios.note_3": the class name CI tools group cases by.
std::string class_name(const std::string& file) {
  std::string name = file.substr(0, file.rfind('.') == std::string::npos ? file.size() : file.rfind('.'));
  for (char& c : name)
    if (c == '/') c = '.';
  return name;
}

struct suite_totals {
  int tests = 0, failures = 0;
  double seconds = 0;
};

}  // namespace

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (byte < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += pty_bridge::escape_traffic(std::string_view(&c, 1));  // \xHH, as transcripts show it
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string junit_xml(const std::vector<case_result>& results, std::chrono::system_clock::time_point started) {
  std::map<std::string, suite_totals> suites;  // by file, in name order: stable across -j
  suite_totals all;
  for (const auto& result : results) {
    for (suite_totals* totals : {&suites[result.file], &all}) {
      ++totals->tests;
      totals->failures += result.passed ? 0 : 1;
      totals->seconds += result.seconds;
    }
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"sim7600-scenario\" tests=\"" + std::to_string(all.tests) + "\" failures=\"" +
         std::to_string(all.failures) + "\" errors=\"0\" time=\"" + seconds_text(all.seconds) + "\">\n";
  int id = 0;
  for (const auto& [file, totals] : suites) {
    xml += "  <testsuite name=\"" + xml_escaped(file) + "\" tests=\"" + std::to_string(totals.tests) +
           "\" failures=\"" + std::to_string(totals.failures) + "\" errors=\"0\" skipped=\"0\" time=\"" +
           seconds_text(totals.seconds) + "\" timestamp=\"" + timestamp_text(started) + "\" hostname=\"localhost\" id=\"" +
           std::to_string(id++) + "\" package=\"" + xml_escaped(class_name(file)) + "\">\n";
    xml += "    <properties/>\n";
    for (const auto& result : results) {
      if (result.file != file) continue;
      xml += "    <testcase name=\"" + xml_escaped(result.name) + "\" classname=\"" + xml_escaped(class_name(file)) +
             "\" time=\"" + seconds_text(result.seconds) + "\">\n";
      if (!result.passed) {
        const std::string first_line = result.message.substr(0, result.message.find('\n'));
        xml += "      <failure message=\"" + xml_escaped(first_line) + "\" type=\"scenario\">" +
               xml_escaped(result.message) + "</failure>\n";
      }
      xml += "      <system-out>" + xml_escaped(result.port_output) + "</system-out>\n";
      xml += "    </testcase>\n";
    }
    xml += "    <system-err/>\n";
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace scenario
