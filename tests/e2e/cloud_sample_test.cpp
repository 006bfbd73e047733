// Sample 4.1 of the note against a real ads-sim: a factory-provisioned device configured over AT, brought up,
// enabled, listening; a property sent and read back.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e_helpers.hpp"
#include "harness/admin_client.hpp"
#include "harness/harness.hpp"

using namespace e2e;

TEST_CASE("4.1 config by AT commands, then enable, listen, send and get a property", "[e2e][cloud]") {
  device_service service;
  const admin_client admin(service.host(), service.port(), service.ca_file(), device_service::admin_token());
  const auto oem = admin.post("/oems", {{"oem_id", "0dfc7900"}, {"name", "demo"}, {"email", "dev@example.com"}});
  REQUIRE(oem.status == 201);
  const std::string oem_secret = oem.body.at("oem_secret");
  const auto devices = admin.post("/oems/0dfc7900/devices", {{"model", "ledevb"}, {"count", 1}});
  REQUIRE(devices.status == 201);
  const auto device = devices.body.at("devices").at(0);
  const std::string dsn = device.at("dsn"), public_key = device.at("public_key");

  booted_module m({"--ads-url", service.url(), "--ads-ca", service.ca_file().string()});
  auto& port = m.port;
  bring_up_network(port);
  start_service(port);

  const auto set = [&](const std::string& args) {
    const std::string line = "AT+ADA=\"cs\"," + args;
    CHECK(port.command(line) == echoed(line, "\r\nOK\r\n"));
  };
  set("\"id/dev_id\",\"" + dsn + "\"");
  const std::size_t part = (public_key.size() + 3) / 4;
  set("\"id/key\",\"st\",\"" + public_key.substr(0, part) + "\"");
  set("\"id/key\",\"ss\",\"" + public_key.substr(part, part) + "\"");
  set("\"id/key\",\"ss\",\"" + public_key.substr(2 * part, part) + "\"");
  set("\"id/key\",\"sn\",\"" + public_key.substr(3 * part) + "\"");
  set("\"oem/id\",\"0dfc7900\"");
  set("\"oem/model\",\"ledevb\"");
  set("\"server/region\",\"US\"");
  set("\"oem/secret\",\"" + oem_secret + "\"");
  CHECK(port.command("AT+ADA=\"setup_mode\",\"disable\"") == echoed("AT+ADA=\"setup_mode\",\"disable\"", "\r\nOK\r\n"));

  CHECK(port.command("AT+ADA= \"enable\"") == echoed("AT+ADA= \"enable\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"enable\",\"RDY\"\r\n", 30s).ends_with("\r\n+ADA: \"enable\",\"RDY\"\r\n"));
  CHECK(port.command("AT+ADA=\"I\"") == echoed("AT+ADA=\"I\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"I\",\"up\"\r\n").ends_with("\r\n+ADA: \"I\",\"up\"\r\n"));
  set("\"oem/template_version\",\"1.0-pwb\"");
  CHECK(port.command("AT+ADA=\"s\", \"Blue_LED\", \"b\", \"1\"") ==
        echoed("AT+ADA=\"s\", \"Blue_LED\", \"b\", \"1\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"s\",\"Blue_LED\",\"status\",0\r\n")
            .ends_with("\r\n+ADA: \"s\",\"Blue_LED\",\"status\",0\r\n"));
  CHECK(port.command("AT+ADA=\"g\", \"Blue_LED\"") == echoed("AT+ADA=\"g\", \"Blue_LED\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"g\",\"ok\",\"Blue_LED\",\"b\",1\r\n")
            .ends_with("\r\n+ADA: \"g\",\"ok\",\"Blue_LED\",\"b\",1\r\n"));

  // The service saw the datapoint.
  const auto datapoints = admin.get("/devices/" + dsn + "/properties/Blue_LED/datapoints");
  CHECK(datapoints.status == 200);
  CHECK(datapoints.raw.find("\"value\":1") != std::string::npos);

  // Once the model has a template, a property it lacks is 404 at the service ("prop may not be in template"),
  // which reaches the host as the note's status 1 (property not found).
  const nlohmann::json only_led = {{"name", "Blue_LED"}, {"base_type", "boolean"}, {"direction", "input"}};
  REQUIRE(admin.put("/oems/0dfc7900/models/ledevb/template", {{"properties", nlohmann::json::array({only_led})}})
              .status == 200);
  CHECK(port.command("AT+ADA=\"s\",\"nope\",\"i\",\"1\"") == echoed("AT+ADA=\"s\",\"nope\",\"i\",\"1\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"s\",\"nope\",\"status\",1\r\n")
            .ends_with("\r\n+ADA: \"s\",\"nope\",\"status\",1\r\n"));
}
