#include <catch2/catch.hpp>

#include "../apca/test_keys.hpp"
#include "ada_test_rig.hpp"
#include "agent/ada_commands.hpp"

using ada_test::ada_rig;
using ada_test::is_ok;
using agent::mask_ada_secrets;
using apca_test::keys;

TEST_CASE("mask_ada_secrets hides oem/secret, id/key, sign parts and passphrases") {
  CHECK(mask_ada_secrets("AT+ADA=\"cs\",\"oem/secret\",\"abc\"\r") == "AT+ADA=\"cs\",\"oem/secret\",\"***\"\r");
  CHECK(mask_ada_secrets("at+ada= \"cs\", \"oem/secret\", \"a,b;c\"") == "at+ada= \"cs\", \"oem/secret\",\"***\"");
  CHECK(mask_ada_secrets("AT+ADA=\"cs\",\"id/key\",\"MIIB\"") == "AT+ADA=\"cs\",\"id/key\",\"***\"");
  CHECK(mask_ada_secrets("AT+ADA=\"cs\",\"id/key\",\"st\",\"MIIB\"") == "AT+ADA=\"cs\",\"id/key\",\"st\",\"***\"");
  CHECK(mask_ada_secrets("AT+ADA=\"sign\",\"ss\",\"MIIEpQ\"") == "AT+ADA=\"sign\",\"ss\",\"***\"");
  CHECK(mask_ada_secrets("AT+ADA=\"SIGN\",\"sn\",MIIEpQ") == "AT+ADA=\"SIGN\",\"sn\",\"***\"");
  CHECK(mask_ada_secrets("AT+ADA=\"setup_mode\",\"enable\",\"secretkey\"") ==
        "AT+ADA=\"setup_mode\",\"enable\",\"***\"");
  // Several commands on a line; the others stay as they are.
  CHECK(mask_ada_secrets("AT+CSQ;+ADA=\"cs\",\"oem/secret\",\"x\";+ADA=\"cg\",\"oem/id\"") ==
        "AT+CSQ;+ADA=\"cs\",\"oem/secret\",\"***\";+ADA=\"cg\",\"oem/id\"");
  // An unterminated quote still hides everything after the keyword.
  CHECK(mask_ada_secrets("AT+ADA=\"sign\",\"st\",\"MIIE") == "AT+ADA=\"sign\",\"st\",\"***\"");
}

TEST_CASE("mask_ada_secrets leaves everything else unchanged") {
  for (const char* line :
       {"AT+ADA=\"cs\",\"oem/id\",\"ffa10123\"", "AT+ADA=\"cg\",\"oem/secret\"", "AT+ADA=\"setup_mode\",\"show\"",
        "AT+ADA=\"setup_mode\",\"disable\"", "AT+ADA=?", "+ADA: \"cg\",\"oem/secret\",\"set\"", "ATI", "",
        "AT+CGDCONT=1,\"IP\",\"+ADA=\\22cs\\22\"", "AT+ADA=\"s\",\"secret\",\"s\",\"visible\""}) {
    INFO(line);
    CHECK(mask_ada_secrets(line) == line);
  }
}

TEST_CASE("secrets never appear in any answer or URC") {
  ada_rig rig;
  std::vector<std::string> seen;
  auto record = [&](const agent::command_result& result) {
    seen.insert(seen.end(), result.lines.begin(), result.lines.end());
  };
  auto run = [&](const std::string& args) {
    auto result = rig.run(args);
    record(result);
    rig.nv.finish_all();
    for (const auto& done : rig.completed) record(done);
    rig.completed.clear();
  };
  const std::string oem_secret = "oem-secret-4f7a";
  const std::string passphrase = "passphrase-9d2c";
  const std::string sign_key = keys().oem_private_pkcs8_body();
  const std::string device_key = keys().device_public_body();

  run("\"start\"");
  run("\"status\"");
  run("\"cs\",\"oem/secret\",\"" + oem_secret + "\"");
  run("\"cs\",\"oem/secret\",\"" + oem_secret + "\"");  // no change
  run("\"cs\",\"id/key\",\"" + device_key + "\"");
  run("\"cs\",\"id/key\",\"" + device_key + "\"");
  run("\"cs\",\"id/key\",\"sn\",\"" + device_key + "\"");  // chunk order error
  run("\"cg\",\"oem/secret\"");
  run("\"cg\",\"id/key\"");
  run("\"sign\",\"st\",\"" + sign_key + "\"");
  run("\"sign\",\"sn\",\"\"");
  run("\"sign\",\"sn\",\"" + sign_key + "\"");  // chunk order error
  run("\"setup_mode\",\"enable\",\"" + passphrase + "\"");
  run("\"setup_mode\",\"enable\",\"" + passphrase + "x\"");  // wrong
  run("\"setup_mode\",\"show\"");
  run("\"reset\"");
  seen.insert(seen.end(), rig.urcs.lines.begin(), rig.urcs.lines.end());

  REQUIRE(seen.size() > 10);
  for (const auto& line : seen) {
    INFO(line);
    CHECK(line.find(oem_secret) == std::string::npos);
    CHECK(line.find(passphrase) == std::string::npos);
    CHECK(line.find(sign_key.substr(0, 32)) == std::string::npos);
    CHECK(line.find(device_key.substr(0, 32)) == std::string::npos);
  }
  // NV never holds the sign key or the passphrase.
  for (const auto& image : rig.nv.every_image_saved) {
    for (const auto& [key, value] : image.values) {
      CHECK(value.find(passphrase) == std::string::npos);
      CHECK(value.find(sign_key.substr(0, 32)) == std::string::npos);
    }
  }
}
