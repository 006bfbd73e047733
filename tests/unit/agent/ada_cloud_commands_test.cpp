// enable, disable, l, s, g and ota: fully validated; until the cloud part exists, valid ones answer
// `+ADA: "<sub>","err",8,"not supported: cloud connection"`.
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
  for (const char* args : {"\"s\",\"Blue_LED\",\"b\",\"0\"", "\"s\",\"Blue_LED\",\"b\",1", "\"s\",\"n\",\"i\",\"-42\"",
                           "\"s\",\"n\",\"I\",2147483647", "\"s\",\"t\",\"d\",\"21.50\"", "\"s\",\"t\",\"d\",-3",
                           "\"s\",\"name\",\"s\",\"hello, world\"", "\"s\",\"name\",\"s\",\"\"",
                           "\"s\",\"cmd\",\"st\",\"abcdefg\"", "\"s\",\"Blue_LED\",\"m\",\"key\",\"value\""}) {
    INFO(args);
    CHECK(error_line(rig.run(args)) == not_yet("s"));
  }
  std::string long_value(1024, 'v');
  CHECK(error_line(rig.run("\"s\",\"name\",\"s\",\"" + long_value + "\"")) == not_yet("s"));
}

TEST_CASE("AT+ADA s: every validation error") {
  started_rig rig;
  CHECK(error_line(rig.run("\"s\"")) == ada_error("s", 1, "missing: name"));
  CHECK(error_line(rig.run("\"s\",\"n\"")) == ada_error("s", 1, "missing: type"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"b\"")) == ada_error("s", 1, "missing: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"b\",")) == ada_error("s", 1, "missing: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"m\",\"key\"")) == ada_error("s", 1, "missing: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"x\",\"1\"")) == ada_error("s", 6, "invalid: type"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"b\",\"2\"")) == ada_error("s", 6, "invalid: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"i\",\"1.5\"")) == ada_error("s", 6, "invalid: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"i\",\"2147483648\"")) == ada_error("s", 6, "invalid: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"d\",\"abc\"")) == ada_error("s", 6, "invalid: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"d\",\"1.\"")) == ada_error("s", 6, "invalid: value"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"s\",\"" + std::string(1025, 'v') + "\"")) ==
        ada_error("s", 5, "len err: value too long"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"st\",\"" + std::string(91, 'v') + "\"")) ==
        ada_error("s", 5, "len err: part too long"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"ss\",\"abc\"")) == ada_error("s", 6, "invalid: chunk order"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"b\",\"1\",\"x\"")) == ada_error("s", 4, "usage: too many arguments"));
  CHECK(error_line(rig.run("\"s\",\"n\",\"m\",\"k\",\"v\",\"x\"")) == ada_error("s", 4, "usage: too many arguments"));
}

TEST_CASE("AT+ADA g") {
  started_rig rig;
  CHECK(error_line(rig.run("\"g\",\"Blue_LED\"")) == not_yet("g"));
  CHECK(error_line(rig.run("\"g\"")) == ada_error("g", 1, "missing: name"));
  CHECK(error_line(rig.run("\"g\",\"a\",\"b\"")) == ada_error("g", 4, "usage: too many arguments"));
}

TEST_CASE("AT+ADA ota: valid forms reach the service, service start not needed") {
  ada_rig rig;
  for (const char* args :
       {"\"ota\",\"dl\",\"host\",\"idh1\"", "\"ota\",\"dl\",\"host\",\"idh1\",128", "\"ota\",\"dl\",\"module\",\"idm1\"",
        "\"ota\",\"apply\",\"module\",\"idm1\"", "\"ota\",\"mcu_mode\",\"module\",\"idm1\"",
        "\"ota\",\"mcu_mode\",\"module\",\"idm1\",0", "\"ota\",\"status\",\"host\",\"idh1\",0",
        "\"ota\",\"status\",\"host\",\"idh1\",-3", "\"OTA\",\"DL\",\"Host\",\"idh1\""}) {
    INFO(args);
    CHECK(error_line(rig.run(args)) == not_yet("ota"));
  }
}

TEST_CASE("AT+ADA ota: every validation error") {
  ada_rig rig;
  CHECK(error_line(rig.run("\"ota\"")) == ada_error("ota", 1, "missing: ota command"));
  CHECK(error_line(rig.run("\"ota\",\"dl\"")) == ada_error("ota", 1, "missing: type"));
  CHECK(error_line(rig.run("\"ota\",\"dl\",\"host\"")) == ada_error("ota", 1, "missing: id"));
  CHECK(error_line(rig.run("\"ota\",\"fly\",\"host\",\"x\"")) == ada_error("ota", 3, "unknown: ota command"));
  CHECK(error_line(rig.run("\"ota\",\"dl\",\"car\",\"x\"")) == ada_error("ota", 6, "invalid: type"));
  CHECK(error_line(rig.run("\"ota\",\"apply\",\"host\",\"x\"")) == ada_error("ota", 8, "not supported: type"));
  CHECK(error_line(rig.run("\"ota\",\"status\",\"module\",\"x\",0")) == ada_error("ota", 8, "not supported: type"));
  CHECK(error_line(rig.run("\"ota\",\"dl\",\"host\",\"x\",0")) == ada_error("ota", 6, "invalid: length"));
  CHECK(error_line(rig.run("\"ota\",\"dl\",\"host\",\"x\",abc")) == ada_error("ota", 6, "invalid: length"));
  CHECK(error_line(rig.run("\"ota\",\"mcu_mode\",\"module\",\"x\",2")) == ada_error("ota", 6, "invalid: mode"));
  CHECK(error_line(rig.run("\"ota\",\"status\",\"host\",\"x\"")) == ada_error("ota", 1, "missing: status"));
  CHECK(error_line(rig.run("\"ota\",\"status\",\"host\",\"x\",x")) == ada_error("ota", 6, "invalid: status"));
  CHECK(error_line(rig.run("\"ota\",\"apply\",\"module\",\"x\",1")) == ada_error("ota", 4, "usage: too many arguments"));
  CHECK(error_line(rig.run("\"ota\",\"dl\",\"host\",\"x\",1,2")) == ada_error("ota", 4, "usage: too many arguments"));
  CHECK(error_line(rig.run("\"ota\",\"dl\",\"host\",\"" + std::string(65, 'i') + "\"")) ==
        ada_error("ota", 5, "len err: id too long"));
}
