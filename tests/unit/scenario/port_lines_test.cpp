// The module's bytes as lines, whatever the split.
#include <catch2/catch.hpp>

#include "scenario/port_lines.hpp"

using namespace scenario;

TEST_CASE("echo and answer are lines, empty lines dropped, at every split", "[scenario][lines]") {
  const std::string bytes = "AT+ADA=\"status\"\r\r\n+ADA: \"status\",15,3\r\n\r\nOK\r\n";
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    port_lines lines;
    lines.feed(bytes.substr(0, cut));
    lines.feed(bytes.substr(cut));
    CHECK(lines.next() == "AT+ADA=\"status\"");
    CHECK(lines.next() == "+ADA: \"status\",15,3");
    CHECK(lines.next() == "OK");
    CHECK_FALSE(lines.next());
  }
}

TEST_CASE("the recent lines, for failure messages, show an unfinished one", "[scenario][lines]") {
  port_lines lines;
  lines.feed("\r\nOK\r\n> ");
  CHECK(lines.recent_text() == "    | OK\n    | >    (partial)\n");
  for (int i = 0; i < 20; ++i) lines.feed("line " + std::to_string(i) + "\r\n");
  const std::string recent = lines.recent_text();
  CHECK(recent.find("line 19") != std::string::npos);
  CHECK(recent.find("line 7\n") == std::string::npos);  // only the last ones are kept
}

TEST_CASE("a secret the module echoes is masked in what a report shows, not in what steps match", "[scenario][lines]") {
  port_lines lines;
  lines.feed("AT+ADA=\"cs\",\"oem/secret\",\"hunter2\"\r\r\nOK\r\n");
  CHECK(lines.next() == "AT+ADA=\"cs\",\"oem/secret\",\"hunter2\"");  // the echo still matches the line sent
  CHECK(lines.recent_text().find("hunter2") == std::string::npos);
  CHECK(lines.all_text().find("hunter2") == std::string::npos);
  CHECK(lines.all_text().find("OK\n") != std::string::npos);
}
