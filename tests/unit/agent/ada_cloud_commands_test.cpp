// enable, disable, l, s, g and ota: fully validated by the table; on a module built without a cloud port, valid
// ones answer `+ADA: "<sub>","err",8,"not supported: cloud connection"` (tests/unit/apca/cloud_agent_test.cpp
// covers them connected).
#include <catch2/catch.hpp>

#include "ada_test_rig.hpp"

using ada_test::ada_rig;
using ada_test::error_line;
using ada_test::is_ok;

namespace {

std::string not_yet(const std::string& sub) {
  return "+ADA: \"" + sub + "\",\"err\",8,\"not supported: cloud connection\"";
}

std::string ada_error(const std::string& sub, int code, const std::string& text) {
  return "+ADA: \"" + sub + "\",\"err\"," + std::to_string(code) + ",\"" + text + "\"";
}

// Runs each command; each must answer its error line then ERROR.
void check_answers(ada_rig& rig, const std::vector<std::pair<std::string, std::string>>& expected) {
  for (const auto& [args, line] : expected) {
    INFO(args);
    CHECK(error_line(rig.run(args)) == line);
  }
}

// Runs each valid command; each reaches the service, which cannot act on it yet.
void check_reach_service(ada_rig& rig, const std::string& sub, const std::vector<std::string>& commands) {
  for (const auto& args : commands) {
    INFO(args);
    CHECK(error_line(rig.run(args)) == not_yet(sub));
  }
}

struct started_rig : ada_rig {
  started_rig() { REQUIRE(is_ok(run("\"start\""))); }
};

}  // namespace

TEST_CASE("AT+ADA enable and disable") {
  started_rig rig;
  CHECK(error_line(rig.run("\"enable\"")) == not_yet("enable"));
  CHECK(error_line(rig.run("\"enable\",1")) == ada_error("enable", 4, "usage: too many arguments"));
  CHECK(error_line(rig.run("\"disable\"")) == not_yet("disable"));
  CHECK(error_line(rig.run("\"disable\",30")) == not_yet("disable"));
  CHECK(error_line(rig.run("\"disable\",\"30\"")) == not_yet("disable"));
  CHECK(error_line(rig.run("\"disable\",x")) == ada_error("disable", 6, "invalid: seconds"));
  CHECK(error_line(rig.run("\"disable\",-1")) == ada_error("disable", 6, "invalid: seconds"));
  CHECK(error_line(rig.run("\"disable\",1,2")) == ada_error("disable", 4, "usage: too many arguments"));
}

TEST_CASE("AT+ADA listen echoes the keyword as typed") {
  started_rig rig;
  for (const char* word : {"l", "L", "I", "i"}) {
    INFO(word);
    CHECK(error_line(rig.run("\"" + std::string(word) + "\"")) == not_yet(word));
    CHECK(error_line(rig.run("\"" + std::string(word) + "\",1")) == ada_error(word, 4, "usage: too many arguments"));
  }
}

TEST_CASE("AT+ADA s: valid sends reach the service") {
  started_rig rig;
  check_reach_service(rig, "s",
                      {"\"s\",\"Blue_LED\",\"b\",\"0\"", "\"s\",\"Blue_LED\",\"b\",1", "\"s\",\"n\",\"i\",\"-42\"",
                       "\"s\",\"n\",\"I\",2147483647", "\"s\",\"t\",\"d\",\"21.50\"", "\"s\",\"t\",\"d\",-3",
                       "\"s\",\"name\",\"s\",\"hello, world\"", "\"s\",\"name\",\"s\",\"\"",
                       "\"s\",\"cmd\",\"st\",\"abcdefg\"", "\"s\",\"Blue_LED\",\"m\",\"key\",\"value\""});
  std::string long_value(1024, 'v');
  CHECK(error_line(rig.run("\"s\",\"name\",\"s\",\"" + long_value + "\"")) == not_yet("s"));
}

TEST_CASE("AT+ADA s: every validation error") {
  started_rig rig;
  check_answers(
      rig, {
               {"\"s\"", ada_error("s", 1, "missing: name")},
               {"\"s\",\"n\"", ada_error("s", 1, "missing: type")},
               {"\"s\",\"n\",\"b\"", ada_error("s", 1, "missing: value")},
               {"\"s\",\"n\",\"b\",", ada_error("s", 1, "missing: value")},
               {"\"s\",\"n\",\"m\",\"key\"", ada_error("s", 1, "missing: value")},
               {"\"s\",\"n\",\"x\",\"1\"", ada_error("s", 6, "invalid: type")},
               {"\"s\",\"n\",\"b\",\"2\"", ada_error("s", 6, "invalid: value")},
               {"\"s\",\"n\",\"i\",\"1.5\"", ada_error("s", 6, "invalid: value")},
               {"\"s\",\"n\",\"i\",\"2147483648\"", ada_error("s", 6, "invalid: value")},
               {"\"s\",\"n\",\"d\",\"abc\"", ada_error("s", 6, "invalid: value")},
               {"\"s\",\"n\",\"d\",\"1.\"", ada_error("s", 6, "invalid: value")},
               {"\"s\",\"n\",\"s\",\"" + std::string(1025, 'v') + "\"", ada_error("s", 5, "len err: value too long")},
               {"\"s\",\"n\",\"st\",\"" + std::string(91, 'v') + "\"", ada_error("s", 5, "len err: part too long")},
               {"\"s\",\"n\",\"b\",\"1\",\"x\"", ada_error("s", 4, "usage: too many arguments")},
               {"\"s\",\"n\",\"m\",\"k\",\"v\",\"x\"", ada_error("s", 4, "usage: too many arguments")},
           });
}

TEST_CASE("AT+ADA g") {
  started_rig rig;
  CHECK(error_line(rig.run("\"g\",\"Blue_LED\"")) == not_yet("g"));
  CHECK(error_line(rig.run("\"g\"")) == ada_error("g", 1, "missing: name"));
  CHECK(error_line(rig.run("\"g\",\"a\",\"b\"")) == ada_error("g", 4, "usage: too many arguments"));
}

TEST_CASE("AT+ADA ota: valid forms reach the service, service start not needed") {
  ada_rig rig;
  check_reach_service(
      rig, "ota",
      {"\"ota\",\"dl\",\"host\",\"idh1\"", "\"ota\",\"dl\",\"host\",\"idh1\",128", "\"ota\",\"dl\",\"module\",\"idm1\"",
       "\"ota\",\"apply\",\"module\",\"idm1\"", "\"ota\",\"mcu_mode\",\"module\",\"idm1\"",
       "\"ota\",\"mcu_mode\",\"module\",\"idm1\",0", "\"ota\",\"status\",\"host\",\"idh1\",0",
       "\"ota\",\"status\",\"host\",\"idh1\",-3", "\"OTA\",\"DL\",\"Host\",\"idh1\""});
}

TEST_CASE("AT+ADA ota: every validation error") {
  ada_rig rig;
  check_answers(rig, {
                         {"\"ota\"", ada_error("ota", 1, "missing: ota command")},
                         {"\"ota\",\"dl\"", ada_error("ota", 1, "missing: type")},
                         {"\"ota\",\"dl\",\"host\"", ada_error("ota", 1, "missing: id")},
                         {"\"ota\",\"fly\",\"host\",\"x\"", ada_error("ota", 3, "unknown: ota command")},
                         {"\"ota\",\"dl\",\"car\",\"x\"", ada_error("ota", 6, "invalid: type")},
                         {"\"ota\",\"apply\",\"host\",\"x\"", ada_error("ota", 8, "not supported: type")},
                         {"\"ota\",\"status\",\"module\",\"x\",0", ada_error("ota", 8, "not supported: type")},
                         {"\"ota\",\"dl\",\"host\",\"x\",0", ada_error("ota", 6, "invalid: length")},
                         {"\"ota\",\"dl\",\"host\",\"x\",abc", ada_error("ota", 6, "invalid: length")},
                         {"\"ota\",\"mcu_mode\",\"module\",\"x\",2", ada_error("ota", 6, "invalid: mode")},
                         {"\"ota\",\"status\",\"host\",\"x\"", ada_error("ota", 1, "missing: status")},
                         {"\"ota\",\"status\",\"host\",\"x\",x", ada_error("ota", 6, "invalid: status")},
                         {"\"ota\",\"apply\",\"module\",\"x\",1", ada_error("ota", 4, "usage: too many arguments")},
                         {"\"ota\",\"dl\",\"host\",\"x\",1,2", ada_error("ota", 4, "usage: too many arguments")},
                         {"\"ota\",\"dl\",\"host\",\"" + std::string(65, 'i') + "\"",
                          ada_error("ota", 5, "len err: id too long")},
                     });
}
