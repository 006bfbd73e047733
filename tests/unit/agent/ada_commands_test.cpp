#include <catch2/catch.hpp>

#include "../apca/test_keys.hpp"
#include "ada_test_rig.hpp"
#include "apca/service.hpp"

using ada_test::ada_rig;
using ada_test::error_line;
using ada_test::is_ok;
using agent::at_command;
using agent::final_result;
using apca_test::keys;

TEST_CASE("AT+ADA: the test form lists the sub-commands, action and read forms are errors") {
  ada_rig rig;
  CHECK(is_ok(rig.command(at_command::form::test),
              {"+ADA: (\"start\",\"stop\",\"enable\",\"disable\",\"status\",\"l\",\"s\",\"g\",\"cs\",\"cg\","
               "\"sign\",\"setup_mode\",\"version\",\"reset\",\"ota\")"}));
  auto action = rig.command(at_command::form::action);
  CHECK(action.final == final_result::error);
  CHECK(action.lines.empty());
  auto read = rig.command(at_command::form::read);
  CHECK(read.final == final_result::error);
  CHECK(read.lines.empty());
}

TEST_CASE("AT+ADA: missing, unknown and malformed sub-commands") {
  ada_rig rig;
  CHECK(error_line(rig.run("\"\"")) == "+ADA: \"\",\"err\",1,\"missing: command\"");
  CHECK(error_line(rig.run("\"  \"")) == "+ADA: \"\",\"err\",1,\"missing: command\"");
  CHECK(error_line(rig.run("")) == "+ADA: \"\",\"err\",1,\"missing: command\"");
  CHECK(error_line(rig.run("\"foo\"")) == "+ADA: \"foo\",\"err\",3,\"unknown: command\"");
  CHECK(error_line(rig.run("\"foo\",1")) == "+ADA: \"foo\",\"err\",3,\"unknown: command\"");
  CHECK(error_line(rig.run("\"start")) == "+ADA: \"\",\"err\",4,\"usage: syntax\"");
  CHECK(error_line(rig.run("\"start\"x")) == "+ADA: \"\",\"err\",4,\"usage: syntax\"");
}

TEST_CASE("AT+ADA: keywords are case-insensitive and spaces inside the quotes are ignored") {
  ada_rig rig;
  CHECK(is_ok(rig.run("\"start \"")));  // the note's sample 4.1
  CHECK(rig.service.started());
  CHECK(is_ok(rig.run("\" STOP\"")));
  CHECK_FALSE(rig.service.started());
  CHECK(is_ok(rig.run("\"Start\"")));
  CHECK(is_ok(rig.run("\"SETUP_MODE\",\"Show\""), {"+ADA: \"setup_mode\",\"enable\""}));
  CHECK(is_ok(rig.run("\"version\",\"FOTA\""), {"+ADA: " + rig.service.firmware_version()}));
  CHECK(error_line(rig.run("\"CS\",\"abc\",\"x\"")) == "+ADA: \"cs\",\"err\",8,\"not supported: config name\"");
}

TEST_CASE("AT+ADA: start answers OK then the done URC, stop answers OK, both idempotent") {
  ada_rig rig;
  CHECK(is_ok(rig.run("\"start\"")));
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"start\",\"done\""});
  CHECK(is_ok(rig.run("\"start\"")));
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"start\",\"done\""});
  CHECK(is_ok(rig.run("\"stop\"")));
  CHECK(is_ok(rig.run("\"stop\"")));
  CHECK(rig.urcs.take().empty());
  CHECK(error_line(rig.run("\"start\",1")) == "+ADA: \"start\",\"err\",4,\"usage: too many arguments\"");
  CHECK(error_line(rig.run("\"stop\",1")) == "+ADA: \"stop\",\"err\",4,\"usage: too many arguments\"");
}

TEST_CASE("AT+ADA: sub-commands that need the service started answer code 7 before start") {
  ada_rig rig;
  for (const char* sub : {"cs", "cg", "sign", "s", "g", "l", "L", "I", "i", "enable"}) {
    INFO(sub);
    auto result = rig.run("\"" + std::string(sub) + "\"");
    CHECK(error_line(result) == "+ADA: \"" + std::string(sub) + "\",\"err\",7,\"err: service not started\"");
  }
  // Those that do not need it.
  CHECK(is_ok(rig.run("\"status\""), {"+ADA: \"status\",15,3"}));
  CHECK(rig.run("\"version\"").final == final_result::ok);
  CHECK(rig.run("\"setup_mode\",\"show\"").final == final_result::ok);
}

TEST_CASE("AT+ADA: status codes, reasons and the URC after the first query") {
  ada_rig rig;
  rig.service.set_data_call(true);
  CHECK(rig.urcs.take().empty());
  CHECK(is_ok(rig.run("\"status\""), {"+ADA: \"status\",15,2"}));
  rig.service.set_clock_synced(true);
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"status\",15,1"});
  CHECK(error_line(rig.run("\"status\",1")) == "+ADA: \"status\",\"err\",4,\"usage: too many arguments\"");
}

TEST_CASE("AT+ADA: cs answers OK once the value is durable") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  auto held = rig.run("\"cs\",\"oem/template_version\",\"1.0-pwb\"");
  CHECK(held.final == final_result::held);
  CHECK(rig.completed.empty());
  rig.nv.finish_save(true);
  REQUIRE(rig.completed.size() == 1);
  CHECK(is_ok(rig.completed.front()));
  CHECK(rig.nv.stored.get("oem/template_version") == "1.0-pwb");
  rig.completed.clear();

  CHECK(is_ok(rig.run("\"cg\",\"oem/template_version\""), {"+ADA: \"cg\",\"oem/template_version\",\"1.0-pwb\""}));
  CHECK(is_ok(rig.run("\"cs\",\"oem/template_version\",\"1.0-pwb\""),
              {"+ADA: \"cs\",\"oem/template_version\",\"no change\""}));
  // A bare value is accepted like a quoted one.
  CHECK(is_ok(rig.run("\"cs\",\"oem/template_version\",1.0-pwb"),
              {"+ADA: \"cs\",\"oem/template_version\",\"no change\""}));

  SECTION("a failed save answers err 7 and rolls back") {
    auto failed = rig.run_saved("\"cs\",\"oem/template_version\",\"2.0\"", false);
    CHECK(error_line(failed) == "+ADA: \"cs\",\"err\",7,\"err: nv write failed\"");
    CHECK(is_ok(rig.run("\"cg\",\"oem/template_version\""), {"+ADA: \"cg\",\"oem/template_version\",\"1.0-pwb\""}));
  }
  SECTION("values with quotes and control bytes round-trip with V.250 escapes") {
    CHECK(is_ok(rig.run_saved("\"cs\",\"oem/model\",\"a\\22b\\5Cc\\0Dd\"")));
    CHECK(rig.service.nv().get("oem/model") == "a\"b\\c\rd");
    CHECK(is_ok(rig.run("\"cg\",\"oem/model\""), {"+ADA: \"cg\",\"oem/model\",\"a\\22b\\5Cc\\0Dd\""}));
  }
}

TEST_CASE("AT+ADA: every config name of SPEC section 3 can be set and read") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  struct example {
    const char* name;
    std::string value;
    std::string shown;  // what cg prints
  };
  const std::vector<example> examples = {
      {"oem/id", "ffa10123", "ffa10123"},
      {"oem/model", "ledevb", "ledevb"},
      {"oem/keyid", "OAGHAWp9TXUBIDxE", "OAGHAWp9TXUBIDxE"},
      {"oem/hwid", "myhwid1", "myhwid1"},
      {"oem/secret", "an oem secret", "set"},
      {"oem/template_version", "1.0-pwb", "1.0-pwb"},
      {"server/region", "CN", "CN"},
      {"id/dev_id", "AC000W000000001", "AC000W000000001"},
      {"id/key", keys().device_public_body(), "set"},
  };
  for (const auto& e : examples) {
    INFO(e.name);
    CHECK(is_ok(rig.run_saved("\"cs\",\"" + std::string(e.name) + "\",\"" + e.value + "\"")));
    CHECK(rig.nv.stored.get(e.name) == e.value);
    CHECK(is_ok(rig.run("\"cg\",\"" + std::string(e.name) + "\""),
                {"+ADA: \"cg\",\"" + std::string(e.name) + "\",\"" + e.shown + "\""}));
  }
}

TEST_CASE("AT+ADA: cs and cg errors") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  CHECK(error_line(rig.run("\"cs\"")) == "+ADA: \"cs\",\"err\",1,\"missing: config name\"");
  CHECK(error_line(rig.run("\"cs\",\"oem/id\"")) == "+ADA: \"cs\",\"err\",1,\"missing: value\"");
  CHECK(error_line(rig.run("\"cs\",\"oem/id\",")) == "+ADA: \"cs\",\"err\",1,\"missing: value\"");
  CHECK(error_line(rig.run("\"cs\",\"oem/id\",\"a\",\"b\",\"c\"")) ==
        "+ADA: \"cs\",\"err\",4,\"usage: too many arguments\"");
  CHECK(error_line(rig.run("\"cs\",\"oem/id\",\"st\",\"b\"")) ==
        "+ADA: \"cs\",\"err\",4,\"usage: parts only for id/key\"");
  CHECK(error_line(rig.run("\"cs\",\"abc\",\"x\"")) == "+ADA: \"cs\",\"err\",8,\"not supported: config name\"");
  CHECK(error_line(rig.run("\"cg\",\"abc\"")) == "+ADA: \"cg\",\"err\",8,\"not supported: config name\"");
  CHECK(error_line(rig.run("\"cg\"")) == "+ADA: \"cg\",\"err\",1,\"missing: config name\"");
  CHECK(error_line(rig.run("\"cg\",\"oem/id\",1")) == "+ADA: \"cg\",\"err\",4,\"usage: too many arguments\"");
  CHECK(error_line(rig.run("\"cs\",\"oem/id\",\"" + std::string(1025, 'x') + "\"")) ==
        "+ADA: \"cs\",\"err\",5,\"len err: value too long\"");
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/id\",\"" + std::string(1024, 'x') + "\"")));
  CHECK(error_line(rig.run("\"cs\",\"server/region\",\"EU\"")) == "+ADA: \"cs\",\"err\",6,\"invalid: region\"");
  CHECK(error_line(rig.run("\"cs\",\"id/key\",\"AAAA\"")) == "+ADA: \"cs\",\"err\",6,\"invalid: key\"");
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/region\",\"US\"")));
  CHECK(is_ok(rig.run("\"cg\",\"server/region\""), {"+ADA: \"cg\",\"server/region\",\"US\""}));
  CHECK(is_ok(rig.run("\"cg\",\"oem/region\""), {"+ADA: \"cg\",\"oem/region\",\"US\""}));
  // Config names: any case, surrounding spaces ignored.
  CHECK(is_ok(rig.run("\"cg\",\" OEM/Region \""), {"+ADA: \"cg\",\"OEM/Region\",\"US\""}));
}

TEST_CASE("AT+ADA: cs of id/key in parts, and secrets are write-only") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  CHECK(is_ok(rig.run("\"cg\",\"id/key\""), {"+ADA: \"cg\",\"id/key\",\"unset\""}));
  CHECK(error_line(rig.run("\"cs\",\"id/key\",\"ss\",\"AAAA\"")) == "+ADA: \"cs\",\"err\",6,\"invalid: chunk order\"");
  CHECK(error_line(rig.run("\"cs\",\"id/key\",\"sn\",\"AAAA\"")) == "+ADA: \"cs\",\"err\",6,\"invalid: chunk order\"");
  CHECK(error_line(rig.run("\"cs\",\"id/key\",\"sx\",\"AAAA\"")) == "+ADA: \"cs\",\"err\",6,\"invalid: part type\"");
  CHECK(error_line(rig.run("\"cs\",\"id/key\",\"st\",")) == "+ADA: \"cs\",\"err\",1,\"missing: value\"");

  auto body = keys().device_public_body();
  CHECK(is_ok(rig.run("\"cs\",\"id/key\",\"st\",\"" + body.substr(0, 120) + "\"")));
  CHECK(is_ok(rig.run("\"cs\",\"id/key\",\"SS\",\"" + body.substr(120, 120) + "\"")));
  CHECK(rig.nv.pending.empty());
  CHECK(is_ok(rig.run_saved("\"cs\",\"id/key\",\"sn\",\"" + body.substr(240) + "\"")));
  CHECK(rig.nv.stored.get("id/key") == body);
  CHECK(is_ok(rig.run("\"cg\",\"id/key\""), {"+ADA: \"cg\",\"id/key\",\"set\""}));
  CHECK(is_ok(rig.run("\"cs\",\"id/key\",\"" + body + "\""), {"+ADA: \"cs\",\"id/key\",\"no change\""}));

  CHECK(is_ok(rig.run("\"cg\",\"oem/secret\""), {"+ADA: \"cg\",\"oem/secret\",\"unset\""}));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/secret\",\"s3cr3t-value\"")));
  CHECK(is_ok(rig.run("\"cg\",\"oem/secret\""), {"+ADA: \"cg\",\"oem/secret\",\"set\""}));
}

TEST_CASE("AT+ADA: sign in parts, and its errors") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/id\",\"ffa10123\"")));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/hwid\",\"myhwid1\"")));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/keyid\",\"OAGHAWp9TXUBIDxE\"")));

  CHECK(error_line(rig.run("\"sign\"")) == "+ADA: \"sign\",\"err\",1,\"missing: part type\"");
  CHECK(error_line(rig.run("\"sign\",\"st\"")) == "+ADA: \"sign\",\"err\",1,\"missing: key\"");
  CHECK(error_line(rig.run("\"sign\",\"sq\",\"AAAA\"")) == "+ADA: \"sign\",\"err\",6,\"invalid: part type\"");
  CHECK(error_line(rig.run("\"sign\",\"ss\",\"AAAA\"")) == "+ADA: \"sign\",\"err\",6,\"invalid: chunk order\"");
  CHECK(error_line(rig.run("\"sign\",\"st\",\"AAAA\",\"x\"")) ==
        "+ADA: \"sign\",\"err\",4,\"usage: too many arguments\"");

  CHECK(is_ok(rig.run("\"sign\",\"st\",\"AAAA\"")));
  CHECK(error_line(rig.run("\"sign\",\"sn\",\"BBBB\"")) == "+ADA: \"sign\",\"err\",6,\"invalid: key\"");

  CHECK(is_ok(rig.run("\"sign\",\"st\",\"" + std::string(2048, 'A') + "\"")));
  CHECK(error_line(rig.run("\"sign\",\"sn\",\"A\"")) == "+ADA: \"sign\",\"err\",5,\"len err: value too long\"");

  auto body = keys().oem_private_pkcs1_body();
  CHECK(is_ok(rig.run("\"sign\",\"st\",\"" + body.substr(0, 500) + "\"")));
  CHECK(is_ok(rig.run("\"sign\",\"ss\",\"" + body.substr(500, 500) + "\"")));
  CHECK(is_ok(rig.run("\"sign\",\"sn\",\"" + body.substr(1000) + "\"")));
  auto signature = rig.service.provisioning();
  REQUIRE(signature);
  CHECK(keys().oem.recover(signature->signature) == signature->message);
}

TEST_CASE("AT+ADA: setup_mode enable, disable, show and the identity lock") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  CHECK(is_ok(rig.run("\"setup_mode\",\"show\""), {"+ADA: \"setup_mode\",\"enable\""}));
  CHECK(is_ok(rig.run_saved("\"setup_mode\",\"enable\",\"secretkey\"")));
  CHECK(is_ok(rig.run_saved("\"setup_mode\",\"disable\"")));
  CHECK(is_ok(rig.run("\"setup_mode\",\"show\""), {"+ADA: \"setup_mode\",\"disable\""}));
  CHECK(error_line(rig.run("\"cs\",\"oem/id\",\"x\"")) == "+ADA: \"cs\",\"err\",7,\"err: setup mode disabled\"");
  CHECK(error_line(rig.run("\"cs\",\"id/key\",\"st\",\"AAAA\"")) ==
        "+ADA: \"cs\",\"err\",7,\"err: setup mode disabled\"");
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/template_version\",\"1.0\"")));

  CHECK(error_line(rig.run("\"setup_mode\",\"enable\",\"nope\"")) ==
        "+ADA: \"setup_mode\",\"err\",6,\"invalid: passphrase\"");
  CHECK(error_line(rig.run("\"setup_mode\",\"enable\"")) == "+ADA: \"setup_mode\",\"err\",1,\"missing: passphrase\"");
  CHECK(error_line(rig.run("\"setup_mode\"")) == "+ADA: \"setup_mode\",\"err\",1,\"missing: mode\"");
  CHECK(error_line(rig.run("\"setup_mode\",\"maybe\"")) == "+ADA: \"setup_mode\",\"err\",6,\"invalid: mode\"");
  CHECK(error_line(rig.run("\"setup_mode\",\"disable\",\"x\"")) ==
        "+ADA: \"setup_mode\",\"err\",4,\"usage: too many arguments\"");
  CHECK(error_line(rig.run("\"setup_mode\",\"show\",\"x\"")) ==
        "+ADA: \"setup_mode\",\"err\",4,\"usage: too many arguments\"");
  CHECK(error_line(rig.run("\"setup_mode\",\"enable\",\"a\",\"b\"")) ==
        "+ADA: \"setup_mode\",\"err\",4,\"usage: too many arguments\"");

  CHECK(is_ok(rig.run_saved("\"setup_mode\",\"enable\",\"secretkey\"")));
  CHECK(is_ok(rig.run("\"setup_mode\",\"show\""), {"+ADA: \"setup_mode\",\"enable\""}));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/id\",\"x\"")));
}

TEST_CASE("AT+ADA: version") {
  ada_rig rig;
  CHECK(is_ok(rig.run("\"version\""), {"+ADA: APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a"}));
  CHECK(is_ok(rig.run("\"version\",\"fota\""),
              {"+ADA: LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 "
               "BUILD-a88da1c.132a03a"}));
  CHECK(error_line(rig.run("\"version\",\"x\"")) == "+ADA: \"version\",\"err\",6,\"invalid: version type\"");
  CHECK(error_line(rig.run("\"version\",\"fota\",1")) == "+ADA: \"version\",\"err\",4,\"usage: too many arguments\"");
}

TEST_CASE("AT+ADA: reset restores the factory image and stops the service") {
  config_store::nv_image factory;
  factory.values["factory/oem/id"] = "demo";
  factory.values["oem/id"] = "demo";
  ada_rig rig(factory);
  REQUIRE(is_ok(rig.run("\"start\"")));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/id\",\"mine\"")));
  CHECK(is_ok(rig.run_saved("\"reset\"")));
  CHECK_FALSE(rig.service.started());
  CHECK(rig.nv.stored.get("oem/id") == "demo");
  CHECK(error_line(rig.run("\"cg\",\"oem/id\"")) == "+ADA: \"cg\",\"err\",7,\"err: service not started\"");
  CHECK(is_ok(rig.run("\"reset\"")));  // nothing to restore: OK at once
  CHECK(error_line(rig.run("\"reset\",1")) == "+ADA: \"reset\",\"err\",4,\"usage: too many arguments\"");
}

TEST_CASE("AT+ADA: a failed reset save answers err 7") {
  ada_rig rig;
  REQUIRE(is_ok(rig.run("\"start\"")));
  CHECK(is_ok(rig.run_saved("\"cs\",\"oem/id\",\"mine\"")));
  CHECK(error_line(rig.run_saved("\"reset\"", false)) == "+ADA: \"reset\",\"err\",7,\"err: nv write failed\"");
}
