#include "support.hpp"

using namespace ads_sim_test;

TEST_CASE("admin creates and lists OEMs, the secret is shown once", "[ads_sim][admin]") {
  temp_dir dir;
  ads_sim::service_core core(dir.path() / "ads.db", admin_token);
  auto respond = [&](const http_request& request) { return std::get<http_response>(core.handle(request, t0)); };

  const auto created = respond(admin_request("POST", "/oems", json{{"oem_id", "71866f33"}, {"name", "Acme"},
                                                                   {"email", "oem@example.com"}}));
  CHECK(created.status == 201);
  const auto body = body_of(created);
  CHECK(body["oem_id"] == "71866f33");
  CHECK(body["oem_secret"].get<std::string>().size() == 32);

  const auto generated = body_of(respond(admin_request("POST", "/oems", json{{"name", "B"}, {"email", "b@x"}})));
  CHECK(generated["oem_id"].get<std::string>().size() == 8);
  CHECK(generated["oem_secret"] != body["oem_secret"]);

  CHECK(respond(admin_request("POST", "/oems", json{{"oem_id", "71866f33"}, {"name", "X"}, {"email", "x@x"}}))
            .status == 409);
  CHECK(respond(admin_request("POST", "/oems", json{{"name", "X"}})).status == 400);
  CHECK(respond(admin_request("POST", "/oems", json{{"name", "X"}, {"email", "no-at-sign"}})).status == 400);
  CHECK(respond(admin_request("POST", "/oems", json{{"oem_id", "a b"}, {"name", "X"}, {"email", "x@x"}})).status ==
        400);

  const auto list = body_of(respond(admin_request("GET", "/oems")));
  REQUIRE(list["oems"].size() == 2);
  CHECK(list["oems"][0]["oem_id"] == "71866f33");
  CHECK(list["oems"][0]["name"] == "Acme");
  CHECK_FALSE(list.dump().find(body["oem_secret"].get<std::string>()) != std::string::npos);
}

TEST_CASE("admin requests need the bearer token", "[ads_sim][admin]") {
  core_fixture f;
  auto request = make_request("GET", "/api/v1/devices");
  CHECK(f.respond(request).status == 401);
  request.headers.emplace_back("Authorization", "Bearer wrong-token-of-same-len");
  CHECK(f.respond(request).status == 401);
  auto basic = make_request("GET", "/api/v1/devices");
  basic.headers.emplace_back("Authorization", "Basic " + admin_token);
  CHECK(f.respond(basic).status == 401);
  const auto refused = f.respond(basic);
  CHECK(body_of(refused).contains("error"));
}

TEST_CASE("provision keys take SPKI or PKCS#1 PEMs, never private keys", "[ads_sim][admin]") {
  core_fixture f;
  const auto key = ads_client::rsa_key::generate(2048);
  const std::string path = "/oems/" + f.oem_id + "/provision_keys";
  const auto added = f.respond(admin_request("POST", path, json{{"public_key", key.public_pem()}}));
  CHECK(added.status == 201);
  CHECK(body_of(added)["oem_id"] == f.oem_id);
  // A bare body works too.
  CHECK(f.respond(admin_request("POST", path, json{{"public_key", key.public_base64_body()}})).status == 201);
  CHECK(f.respond(admin_request("POST", path, json{{"public_key", key.private_pem()}})).status == 400);
  CHECK(f.respond(admin_request("POST", path, json{{"public_key", "not a key"}})).status == 400);
  CHECK(f.respond(admin_request("POST", "/oems/nobody/provision_keys", json{{"public_key", key.public_pem()}}))
            .status == 404);
  const auto list = body_of(f.respond(admin_request("GET", path)));
  REQUIRE(list["provision_keys"].size() == 2);
  CHECK(list["provision_keys"][0]["key_id"] == body_of(added)["key_id"]);
  CHECK(list["provision_keys"][0]["public_key"].get<std::string>().rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
}

TEST_CASE("factory devices get DSNs and public keys, the service keeps the private key", "[ads_sim][admin]") {
  core_fixture f;
  const auto created =
      f.respond(admin_request("POST", "/oems/" + f.oem_id + "/devices", json{{"model", "ledevb"}, {"count", 2}}));
  REQUIRE(created.status == 201);
  const auto devices = body_of(created)["devices"];
  REQUIRE(devices.size() == 2);
  CHECK(devices[0]["dsn"] == "AC000W000000002");  // the fixture made 1
  CHECK(devices[1]["dsn"] == "AC000W000000003");
  for (const auto& device : devices) {
    const auto key = ads_client::rsa_key::public_from_base64_body(device["public_key"].get<std::string>());
    REQUIRE(key.has_value());
    CHECK_FALSE(key->has_private());
  }
  const auto listed = body_of(f.respond(admin_request("GET", "/devices")));
  REQUIRE(listed["devices"].size() == 3);
  const auto& shown = listed["devices"][1];
  for (const char* field : {"dsn", "key", "oem_id", "model", "hwid", "connected", "listening", "fw_version",
                            "template_version"})
    CHECK(shown.contains(field));
  CHECK(listed.dump().find("PRIVATE") == std::string::npos);

  const std::string path = "/oems/" + f.oem_id + "/devices";
  CHECK(f.respond(admin_request("POST", path, json{{"model", "ledevb"}, {"count", 0}})).status == 400);
  CHECK(f.respond(admin_request("POST", path, json{{"model", "ledevb"}, {"count", 101}})).status == 400);
  CHECK(f.respond(admin_request("POST", path, json{{"model", "ledevb"}, {"count", "2"}})).status == 400);
  CHECK(f.respond(admin_request("POST", path, json{{"model", ""}, {"count", 1}})).status == 400);
  CHECK(f.respond(admin_request("POST", "/oems/nobody/devices", json{{"model", "m"}, {"count", 1}})).status == 404);
  CHECK(f.respond(admin_request("GET", "/devices/AC000W999999999")).status == 404);
}

TEST_CASE("factory devices ask the I/O layer for their keys, and only for a request that can succeed",
          "[ads_sim][admin]") {
  core_fixture f;
  const std::string path = "/oems/" + f.oem_id + "/devices";
  const auto asked = f.core.handle(admin_request("POST", path, json{{"model", "ledevb"}, {"count", 3}}), t0);
  REQUIRE(std::holds_alternative<ads_sim::need_keys>(asked));
  CHECK(std::get<ads_sim::need_keys>(asked).count == 3);
  CHECK(body_of(f.respond(admin_request("GET", "/devices")))["devices"].size() == 1);  // nothing stored yet
  // Wrong requests are answered at once, without keys.
  for (const auto& [target, body] : std::vector<std::pair<std::string, json>>{
           {"/oems/nobody/devices", json{{"model", "m"}, {"count", 1}}},
           {path, json{{"model", "bad model"}, {"count", 1}}},
           {path, json{{"model", "ledevb"}, {"count", 101}}}})
    CHECK(std::holds_alternative<http_response>(f.core.handle(admin_request("POST", target, body), t0)));
}

TEST_CASE("admin property writes validate type and value", "[ads_sim][admin]") {
  core_fixture f;
  const std::string path = "/devices/" + f.device.dsn + "/properties/";
  CHECK(f.respond(admin_request("PUT", path + "mode", json{{"value", "eco"}})).status == 400);  // type unknown
  CHECK(f.respond(admin_request("PUT", path + "mode", json{{"value", "eco"}, {"base_type", "string"}})).status ==
        200);
  CHECK(f.respond(admin_request("PUT", path + "mode", json{{"value", 3}})).status == 422);
  CHECK(f.respond(admin_request("PUT", path + "mode", json{{"value", "x"}, {"base_type", "integer"}})).status == 422);
  CHECK(f.respond(admin_request("PUT", path + "mode", json{{"base_type", "string"}})).status == 400);
  CHECK(f.respond(admin_request("PUT", path + "mode", json{{"value", 1}, {"base_type", 7}})).status == 400);
  CHECK(f.respond(admin_request("PUT", "/devices/AC000W999999999/properties/mode", json{{"value", 1}})).status == 404);
  CHECK(f.respond(admin_request("GET", path + "nothing")).status == 404);
  CHECK(f.respond(admin_request("GET", path + "nothing/datapoints")).status == 404);
  const auto list = body_of(f.respond(admin_request("GET", "/devices/" + f.device.dsn + "/properties")));
  REQUIRE(list["properties"].size() == 1);
  CHECK(list["properties"][0]["value"] == "eco");
}

TEST_CASE("unknown paths, wrong methods, content types and bodies are 4xx with an error", "[ads_sim][admin]") {
  core_fixture f;
  auto check = [&](const http_request& request, int status) {
    const auto response = f.respond(request);
    CHECK(response.status == status);
    CHECK(body_of(response)["error"].is_string());
    CHECK(response.header("x-Ayla-server-time").has_value());
  };
  check(make_request("GET", "/"), 404);
  check(make_request("GET", "/nothing/here"), 404);
  check(make_request("GET", "//dsns//x.json"), 404);
  check(admin_request("GET", "/oems/x/y/z"), 404);
  check(admin_request("DELETE", "/oems"), 405);
  check(make_request("DELETE", f.device_path("/commands.json")), 405);
  auto no_type = admin_request("POST", "/oems", json{{"name", "a"}, {"email", "a@b"}});
  no_type.headers.erase(no_type.headers.begin());
  check(no_type, 415);
  auto text = admin_request("POST", "/oems", json{{"name", "a"}, {"email", "a@b"}});
  text.headers[0].second = "text/plain";
  check(text, 415);
  auto charset = admin_request("POST", "/oems", json{{"name", "a"}, {"email", "a@b"}});
  charset.headers[0].second = "application/json; charset=utf-8";
  CHECK(f.respond(charset).status == 201);
  auto broken = admin_request("POST", "/oems", json{{"name", "a"}});
  broken.body = "{\"name\":";
  check(broken, 400);
  auto array = admin_request("POST", "/oems", json{{"name", "a"}});
  array.body = "[1,2]";
  check(array, 400);
}
