#pragma once
// Test helpers for ads-sim: a service_core over a fresh temp data dir, request builders, and the device side of
// the authentication (what the module's cloud client does), written from PROTOCOL.md.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/service_core.hpp"

namespace ads_sim_test {

using nlohmann::json;
using ads_sim::clock_time;
using ads_sim::http_request;
using ads_sim::http_response;

inline const std::string admin_token = "test-admin-token";
// A fixed clock: tests pass time in, the core never reads a clock.
inline const clock_time t0 = clock_time(std::chrono::seconds(1'800'000'000));

class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ads-sim-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline http_request make_request(std::string method, std::string target, std::string body = {},
                                  std::uint64_t connection = 1) {
  http_request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.connection_id = connection;
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  return request;
}

inline http_request admin_request(std::string method, std::string target, const json& body = nullptr) {
  auto request = make_request(std::move(method), "/api/v1" + target, body.is_null() ? "" : body.dump());
  request.headers.emplace_back("Authorization", "Bearer " + admin_token);
  return request;
}

// "Ayla1.0 <b64(RSA(public key, "<secs> <METHOD> <path>"))>"
inline std::string client_auth(const std::string& public_key_body, std::int64_t secs, const std::string& method,
                               const std::string& path) {
  const auto key = ads_client::rsa_key::public_from_base64_body(public_key_body);
  REQUIRE(key.has_value());
  const auto cipher = key->encrypt_pkcs1(std::to_string(secs) + " " + method + " " + path);
  REQUIRE(cipher.has_value());
  return "Ayla1.0 " + ads_client::base64_encode(*cipher);
}

inline std::string oem_key(const std::string& public_key_body, std::int64_t secs, const std::string& secret,
                           const std::string& oem_id, const std::string& model) {
  const auto key = ads_client::rsa_key::public_from_base64_body(public_key_body);
  REQUIRE(key.has_value());
  const auto cipher = key->encrypt_pkcs1(std::to_string(secs) + " " + secret + " " + oem_id + " " + model);
  REQUIRE(cipher.has_value());
  return ads_client::base64_encode(*cipher);
}

// The path of an absolute URL (what a client asks its host for).
inline std::string url_path(const std::string& url) {
  const auto scheme = url.find("://");
  REQUIRE(scheme != std::string::npos);
  return url.substr(url.find('/', scheme + 3));
}

inline json body_of(const http_response& response) {
  const json body = json::parse(response.body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  return body;
}

// A core with one OEM ("71866f33", model "ledevb") and one factory device, over a fresh database.
struct core_fixture {
  temp_dir dir;
  ads_sim::service_core core{dir.path() / "ads.db", admin_token};
  std::string oem_id = "71866f33";
  std::string model = "ledevb";
  std::string secret;
  ads_sim::factory_device device;

  core_fixture() {
    REQUIRE(core.ok());
    core.set_endpoints({"https://ads.test", "127.0.0.1", 55055, "https://images.test", false});
    const auto oem = core.create_oem(oem_id, "Acme", "oem@example.com", t0);
    REQUIRE(oem);
    secret = oem->secret;
    const auto devices = core.create_factory_devices(oem_id, model, ads_sim::fresh_keys(1), t0);
    REQUIRE(devices);
    device = devices->front();
  }

  // Plays the I/O layer: a request that asks for keys gets them and is handled again.
  http_response respond(const http_request& request, clock_time now = t0) {
    auto result = core.handle(request, now);
    if (const auto* need = std::get_if<ads_sim::need_keys>(&result))
      result = core.handle(request, now, {ads_sim::fresh_keys(need->count), std::nullopt});
    if (const auto* need = std::get_if<ads_sim::need_password>(&result))
      result = core.handle(request, now, {{}, ads_sim::console::do_password_work(need->work)});
    REQUIRE(std::holds_alternative<http_response>(result));
    return std::get<http_response>(result);
  }

  // A host OTA of `image` for this fixture's device, uploaded and started: what an OEM does in the console.
  struct started_ota {
    ads_sim::image_record image;
    ads_sim::ota_job_record job;
  };
  started_ota start_host_ota(const std::string& image) {
    const auto uploaded = core.add_image("host", "hostboard", "2.0", image, t0);
    REQUIRE(uploaded);
    const auto job = core.create_ota_job(uploaded->image_id, "", {device.dsn}, t0);
    REQUIRE(job);
    REQUIRE(core.start_ota_job(job->job_id, t0));
    return {*uploaded, *job};
  }

  std::string device_path(const std::string& tail = ".json") const {
    return "/devices/" + std::to_string(device.key) + tail;
  }

  // A device request authenticated with a fresh client-auth; returns the response (carrying the token).
  http_response device_call(std::string method, std::string target, const json& body = nullptr,
                            clock_time now = t0, std::uint64_t connection = 1) {
    auto request = make_request(method, target, body.is_null() ? "" : body.dump(), connection);
    const std::string path = target.substr(0, target.find('?'));
    request.headers.emplace_back("x-Ayla-client-auth",
                                 client_auth(device.public_key, ads_sim::unix_seconds(now), method, path));
    return respond(request, now);
  }

  std::string token(clock_time now = t0) {
    const auto response = device_call("GET", "/dsns/" + device.dsn + ".json", nullptr, now);
    REQUIRE(response.status == 200);
    const auto token = response.header("x-Ayla-auth-key");
    REQUIRE(token.has_value());
    return std::string(*token);
  }

  http_request with_token(http_request request, const std::string& token) {
    request.headers.emplace_back("x-Ayla-auth-key", "Ayla1.0 " + token);
    return request;
  }
};

// The app side (PROTOCOL.md §6) over a fixture's OEM: an application, an end user, signed in.
struct app_user {
  std::string app_id;
  std::string app_secret;
  std::string email;
  std::string password;
  std::string access_token;
  std::string refresh_token;

  json application() const { return json{{"app_id", app_id}, {"app_secret", app_secret}}; }
  json sign_in_body(const std::string& with_password) const {
    return json{{"user", {{"email", email}, {"password", with_password}, {"application", application()}}}};
  }
  http_request call(std::string method, std::string target, const json& body = nullptr) const {
    auto request = make_request(std::move(method), std::move(target), body.is_null() ? "" : body.dump());
    request.headers.emplace_back("Authorization", "auth_token " + access_token);
    return request;
  }
};

// Makes the application and the user `email` through the admin API (a cheap password hash, for speed), registers
// the fixture's device to the user when `owns_device`, and signs the user in.
inline app_user make_app_user(core_fixture& f, const std::string& email = "ann@example.com", bool owns_device = true) {
  auto settings = f.core.console().auth().settings();
  settings.kdf_iterations = 1000;
  f.core.console().auth().configure(settings);
  app_user user;
  const auto app = f.respond(admin_request("POST", "/oems/" + f.oem_id + "/applications", json{{"name", "Acme Home"}}));
  REQUIRE(app.status == 201);
  user.app_id = body_of(app)["app_id"];
  user.app_secret = body_of(app)["app_secret"];
  user.email = email;
  user.password = "s3cret-pass";
  const json made{{"email", email}, {"password", user.password}, {"app_id", user.app_id}};
  REQUIRE(f.respond(admin_request("POST", "/users", made)).status == 201);
  if (owns_device)
    REQUIRE(f.respond(admin_request("PUT", "/devices/" + f.device.dsn + "/owner", json{{"email", email}})).status == 200);
  const auto signed_in = f.respond(make_request("POST", "/users/sign_in.json", user.sign_in_body(user.password).dump()));
  REQUIRE(signed_in.status == 200);
  user.access_token = body_of(signed_in)["access_token"];
  user.refresh_token = body_of(signed_in)["refresh_token"];
  return user;
}

}  // namespace ads_sim_test
