#include "support.hpp"

using namespace ads_sim_test;

TEST_CASE("client auth with the device key answers a token and the server time", "[ads_sim][auth]") {
  core_fixture f;
  const auto response = f.device_call("GET", "/dsns/" + f.device.dsn + ".json");
  CHECK(response.status == 200);
  CHECK(response.header("x-Ayla-server-time") == std::to_string(ads_sim::unix_seconds(t0)));
  const auto token = response.header("x-Ayla-auth-key");
  REQUIRE(token.has_value());
  CHECK(token->size() == 32);
  const auto body = body_of(response);
  CHECK(body["device"]["key"] == f.device.key);
  CHECK(body["device"]["dsn"] == f.device.dsn);
  CHECK(body["device"]["oem"] == f.oem_id);
  CHECK(body["device"]["oem_model"] == f.model);
}

TEST_CASE("the token authenticates later requests, with or without the Ayla1.0 scheme", "[ads_sim][auth]") {
  core_fixture f;
  const std::string token = f.token();
  CHECK(f.respond(f.with_token(make_request("GET", f.device_path("/commands.json")), token)).status == 200);
  auto bare = make_request("GET", f.device_path("/commands.json"));
  bare.headers.emplace_back("X-AYLA-AUTH-KEY", token);  // header names are case-insensitive
  CHECK(f.respond(bare).status == 200);
}

TEST_CASE("client auth encrypted with another key is refused", "[ads_sim][auth]") {
  core_fixture f;
  const auto other = ads_client::rsa_key::generate(2048);
  const std::string path = "/dsns/" + f.device.dsn + ".json";
  auto request = make_request("GET", path);
  request.headers.emplace_back("x-Ayla-client-auth",
                               client_auth(other.public_base64_body(), ads_sim::unix_seconds(t0), "GET", path));
  const auto response = f.respond(request);
  CHECK(response.status == 401);
  CHECK_FALSE(response.header("x-Ayla-auth-key").has_value());
  CHECK(body_of(response).contains("error"));
}

TEST_CASE("a stale or future time is refused with the server time", "[ads_sim][auth]") {
  core_fixture f;
  const std::string path = "/dsns/" + f.device.dsn + ".json";
  for (const std::int64_t skew : {-301, 301, -100000}) {
    auto request = make_request("GET", path);
    request.headers.emplace_back("x-Ayla-client-auth",
                                 client_auth(f.device.public_key, ads_sim::unix_seconds(t0) + skew, "GET", path));
    const auto response = f.respond(request);
    CHECK(response.status == 401);
    CHECK(response.header("x-Ayla-server-time") == std::to_string(ads_sim::unix_seconds(t0)));
  }
  // Inside the window is fine.
  auto request = make_request("GET", path);
  request.headers.emplace_back("x-Ayla-client-auth",
                               client_auth(f.device.public_key, ads_sim::unix_seconds(t0) - 299, "GET", path));
  CHECK(f.respond(request).status == 200);
}

TEST_CASE("client auth for another method or path is refused", "[ads_sim][auth]") {
  core_fixture f;
  const std::string path = "/dsns/" + f.device.dsn + ".json";
  const auto secs = ads_sim::unix_seconds(t0);
  for (const auto& [method, signed_path] : {std::pair<std::string, std::string>{"PUT", path},
                                            {"GET", f.device_path("/commands.json")},
                                            {"GET", path + "x"}}) {
    auto request = make_request("GET", path);
    request.headers.emplace_back("x-Ayla-client-auth", client_auth(f.device.public_key, secs, method, signed_path));
    CHECK(f.respond(request).status == 401);
  }
}

TEST_CASE("missing, garbled and unknown credentials are 401", "[ads_sim][auth]") {
  core_fixture f;
  const std::string path = f.device_path("/commands.json");
  CHECK(f.respond(make_request("GET", path)).status == 401);
  for (const std::string value : {"", "Ayla1.0 ", "Ayla1.0 !!!!", "Ayla1.0 AAAA", "Basic abc"}) {
    auto request = make_request("GET", path);
    request.headers.emplace_back("x-Ayla-client-auth", value);
    CHECK(f.respond(request).status == 401);
  }
  CHECK(f.respond(f.with_token(make_request("GET", path), "00000000000000000000000000000000")).status == 401);
  // Client auth naming a device that does not exist: nothing to decrypt with.
  auto unknown = make_request("GET", "/dsns/AC000W999999999.json");
  unknown.headers.emplace_back("x-Ayla-client-auth", client_auth(f.device.public_key, ads_sim::unix_seconds(t0),
                                                                 "GET", "/dsns/AC000W999999999.json"));
  CHECK(f.respond(unknown).status == 401);
}

TEST_CASE("a token expires after its lifetime", "[ads_sim][auth]") {
  core_fixture f;
  const std::string token = f.token();
  const auto request = f.with_token(make_request("GET", f.device_path("/commands.json")), token);
  CHECK(f.respond(request, t0 + std::chrono::seconds(ads_sim::token_lifetime_secs - 1)).status == 200);
  const auto late = f.respond(request, t0 + std::chrono::seconds(ads_sim::token_lifetime_secs + 1));
  CHECK(late.status == 401);
  CHECK(late.header("x-Ayla-server-time").has_value());
}

TEST_CASE("a device token on another device's path is 403", "[ads_sim][auth]") {
  core_fixture f;
  const auto others = f.core.create_factory_devices(f.oem_id, f.model, ads_sim::fresh_keys(1), t0);
  REQUIRE(others);
  const auto& other = others->front();
  const std::string token = f.token();
  CHECK(f.respond(f.with_token(make_request("GET", "/devices/" + std::to_string(other.key) + "/commands.json"),
                               token))
            .status == 403);
  CHECK(f.respond(f.with_token(make_request("GET", "/dsns/" + other.dsn + ".json"), token)).status == 403);
  CHECK(f.respond(f.with_token(make_request("GET", "/devices/987654/commands.json"), token)).status == 403);
}

TEST_CASE("authenticating marks the device connected until its connection closes", "[ads_sim][auth]") {
  core_fixture f;
  auto find = [&](clock_time now) {
    const auto response = f.respond(admin_request("GET", "/devices/" + f.device.dsn), now);
    REQUIRE(response.status == 200);
    return body_of(response);
  };
  CHECK(find(t0)["connected"] == false);
  f.device_call("GET", "/dsns/" + f.device.dsn + ".json", nullptr, t0, 7);
  const auto later = t0 + std::chrono::seconds(ads_sim::connected_grace_secs + 5);
  CHECK(find(later)["connected"] == true);  // its connection is still open
  f.core.connection_closed(7);
  CHECK(find(t0 + std::chrono::seconds(1))["connected"] == true);  // a recent request
  CHECK(find(later)["connected"] == false);
}

TEST_CASE("the admin API counts each device's refused auths and says why the last one was refused", "[ads_sim][auth][admin]") {
  core_fixture f;
  const auto refusals = [&] { return body_of(f.respond(admin_request("GET", "/devices/" + f.device.dsn + "/auth_refusals"))); };
  CHECK(refusals() == json{{"dsn", f.device.dsn}, {"count", 0}, {"last_reason", nullptr}});
  const std::string path = "/dsns/" + f.device.dsn + ".json";
  auto skewed = make_request("GET", path);
  skewed.headers.emplace_back("x-Ayla-client-auth",
                              client_auth(f.device.public_key, ads_sim::unix_seconds(t0) + 86400, "GET", path));
  CHECK(f.respond(skewed).status == 401);
  CHECK(refusals() == json{{"dsn", f.device.dsn}, {"count", 1}, {"last_reason", "client auth time is off"}});
  CHECK(f.respond(f.with_token(make_request("GET", f.device_path("/commands.json")), "00000000000000000000000000000000"))
            .status == 401);
  CHECK(refusals() == json{{"dsn", f.device.dsn}, {"count", 2}, {"last_reason", "unknown or expired token"}});
  // An accepted auth leaves the count as it is; an unknown device is 404.
  CHECK(f.respond(f.with_token(make_request("GET", f.device_path("/commands.json")), f.token())).status == 200);
  CHECK(refusals()["count"] == 2);
  CHECK(f.respond(admin_request("GET", "/devices/AC000W999999999/auth_refusals")).status == 404);
}
