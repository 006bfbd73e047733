// The module's parsers of the device service's answers on malformed answers (found by fuzz/service_answers and
// fuzz/module_core): an answer with a field of another type is refused (nullopt), never an exception.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ads_client/device_protocol.hpp"

namespace api = ads_client::device_api;
using nlohmann::json;

namespace {

ads_client::http_response answer(int status, const json& body) { return {status, {}, body.dump()}; }

json command_with(const char* field, const json& value) {
  json cmd = {{"id", 7}, {"method", "PUT"}, {"resource", "ota.json"}, {"uri", "/devices/1/commands/7.json"},
              {"data", json::object()}};
  cmd[field] = value;
  return {{"commands", {{"cmds", {{{"cmd", cmd}}}}, {"properties", json::array()}}}};
}

}  // namespace

TEST_CASE("parse_dsn: a DSN of another type makes the answer malformed") {
  CHECK(api::parse_dsn(answer(200, {{"device", {{"key", 12}, {"dsn", "AC000W000000001"}}}}))->dsn ==
        "AC000W000000001");
  CHECK(api::parse_dsn(answer(200, {{"device", {{"key", 12}}}}))->key == 12);
  for (const json& wrong : {json(5), json::array(), json::object(), json(nullptr)}) {
    CHECK_FALSE(api::parse_dsn(answer(200, {{"device", {{"key", 12}, {"dsn", wrong}}}})));
  }
}

TEST_CASE("parse_commands: command fields of another type, or lists that are not arrays, are malformed") {
  REQUIRE(api::parse_commands(answer(200, command_with("method", "PUT")))->cmds.at(0).uri ==
          "/devices/1/commands/7.json");
  for (const char* field : {"method", "resource", "uri"}) {
    for (const json& wrong : {json(5), json::array(), json::object(), json(nullptr)}) {
      INFO(field << " = " << wrong.dump());
      CHECK_FALSE(api::parse_commands(answer(200, command_with(field, wrong))));
    }
  }
  for (const char* list : {"cmds", "properties"}) {
    for (const json& wrong : {json("text"), json(3), json::object({{"a", 1}})}) {
      json body = {{"commands", {{"cmds", json::array()}, {"properties", json::array()}}}};
      body["commands"][list] = wrong;
      CHECK_FALSE(api::parse_commands(answer(200, body)));
    }
  }
}

TEST_CASE("string_member: text, empty when absent, nullopt when of another type") {
  CHECK(api::string_member(json{{"a", "x"}}, "a") == "x");
  CHECK(api::string_member(json{{"a", "x"}}, "b") == "");
  CHECK(api::string_member(json(3), "a") == "");
  CHECK_FALSE(api::string_member(json{{"a", 1}}, "a"));
}
