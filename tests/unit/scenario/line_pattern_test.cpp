// Expected lines: exact text, {name} captures and checks, {_} wildcards, /regex/.
#include <catch2/catch.hpp>

#include "scenario/line_pattern.hpp"

using namespace scenario;

namespace {
std::optional<variables> match(const std::string& pattern, const std::string& line, const variables& known = {}) {
  auto compiled = line_pattern::compile(pattern, known);
  REQUIRE(compiled.ok());
  return compiled.value().match(line);
}
}  // namespace

TEST_CASE("a plain pattern matches the whole line exactly, regex characters included", "[scenario][pattern]") {
  CHECK(match("OK", "OK"));
  CHECK_FALSE(match("OK", "OK "));
  CHECK_FALSE(match("OK", "NOT OK"));
  CHECK(match("+ADA: \"status\",15,3", "+ADA: \"status\",15,3"));
  CHECK_FALSE(match("a.c", "abc"));
  CHECK(match("{\"a\":1} (x)", "{\"a\":1} (x)"));  // JSON braces are not placeholders
}

TEST_CASE("an unset {name} captures what is there, a set one must be its value", "[scenario][pattern]") {
  const auto captured = match("+ADA: \"cg\",\"id/dev_id\",\"{dsn}\"", "+ADA: \"cg\",\"id/dev_id\",\"AC000W000123\"");
  REQUIRE(captured);
  CHECK(captured->at("dsn") == "AC000W000123");
  CHECK(match("dsn {dsn}", "dsn AC1", {{"dsn", "AC1"}}));
  CHECK_FALSE(match("dsn {dsn}", "dsn AC2", {{"dsn", "AC1"}}));
  CHECK_FALSE(match("{x}-{x}", "a-b"));
  CHECK(match("{x}-{x}", "a-a"));
}

TEST_CASE("{_} is anything and is not kept", "[scenario][pattern]") {
  const auto captured = match("+ADA: \"status\",{_}", "+ADA: \"status\",1");
  REQUIRE(captured);
  CHECK(captured->empty());
}

TEST_CASE("/regex/ matches the whole line", "[scenario][pattern]") {
  CHECK(match("/\\+CSQ: \\d+,99/", "+CSQ: 31,99"));
  CHECK_FALSE(match("/\\+CSQ: \\d+,99/", "+CSQ: 31,99 extra"));
  CHECK_FALSE(line_pattern::compile("/(unclosed/", {}).ok());
}

TEST_CASE("a set {name} in a /regex/ stands for its value, literally, and quantifiers stay quantifiers",
          "[scenario][pattern]") {
  const variables known{{"ota", "idm1"}, {"version", "1.0 (a+b)"}};
  CHECK(match("/module OTA {ota}: failed: .*/", "module OTA idm1: failed: +ADA: \"ota\",\"err\",6", known));
  CHECK_FALSE(match("/module OTA {ota}: failed: .*/", "module OTA idm2: failed: x", known));
  CHECK(match("/v {version} x{2}/", "v 1.0 (a+b) xx", known));
  CHECK_FALSE(match("/v {version}/", "v 1x0 (aab)", known));
  const auto unset = line_pattern::compile("/OTA {job}: .*/", known);
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().reason.find("{job}") != std::string::npos);
}

TEST_CASE("substitution fills every {name} and names a missing one", "[scenario][pattern]") {
  CHECK(substitute("AT+ADA=\"cs\",\"id/dev_id\",\"{dsn}\"", {{"dsn", "AC1"}}).value() ==
        "AT+ADA=\"cs\",\"id/dev_id\",\"AC1\"");
  CHECK(substitute("{\"json\": {x}}", {{"x", "1"}}).value() == "{\"json\": 1}");
  const auto missing = substitute("{job}", {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().reason == "{job} has no value yet (capture it from a line first)");
}
