// The app side against the real ads-sim and a running module: the walk Ayla's app clients make (sign in, list
// devices, read properties, set a to-device property that the module prints as +ADA: "p", read back what the
// module sent with AT+ADA="s", refresh, sign out), once with curl and once with Python's standard library.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/cloud_fixtures.hpp"

using namespace e2e;
using nlohmann::json;

namespace {

const std::string email = "ann@example.com";
const std::string password = "s3cret-pass";

struct app_setup {
  std::string app_id;
  std::string app_secret;
};

// The OEM's model gets a template (Blue_LED to the device, temp from it), an application and an end user who owns
// the device: what an OEM does on the console before its app ships.
app_setup make_app_and_user(const admin_client& admin, const factory_device& device) {
  const json properties = json::array({{{"name", "Blue_LED"}, {"base_type", "boolean"}, {"direction", "input"}},
                                       {{"name", "temp"}, {"base_type", "integer"}, {"direction", "output"}}});
  REQUIRE(admin.put("/oems/" + device.oem_id + "/models/" + device.model + "/template", {{"properties", properties}})
              .status == 200);
  const auto app = admin.post("/oems/" + device.oem_id + "/applications", {{"name", "Acme Home"}});
  REQUIRE(app.status == 201);
  const auto user = admin.post("/users", {{"email", email}, {"password", password}, {"app_id", app.body.at("app_id")}});
  REQUIRE(user.status == 201);
  REQUIRE(admin.put("/devices/" + device.dsn + "/owner", {{"email", email}}).status == 200);
  return {app.body.at("app_id"), app.body.at("app_secret")};
}

// The module sends temp with AT+ADA="s" and the cloud acknowledges it.
void module_sends_temp(host_port& port, int value) {
  const std::string line = "AT+ADA=\"s\",\"temp\",\"i\",\"" + std::to_string(value) + "\"";
  REQUIRE(port.command(line).ends_with("OK\r\n"));
  const std::string status = "+ADA: \"s\",\"temp\",\"status\",0\r\n";
  REQUIRE(port.read_until(status).ends_with(status));
}

struct curl_answer {
  int status = 0;
  json body;
};

// One request with curl, verifying the service against its CA, as a shell script would send it.
curl_answer curl(const device_service& service, const std::string& method, const std::string& path,
                 const json& body = nullptr, const std::string& token = "") {
  std::vector<std::string> args = {"--silent", "--show-error", "--cacert", service.ca_file().string(), "-X", method,
                                   "-w", "\n%{http_code}"};
  if (!token.empty()) args.insert(args.end(), {"-H", "Authorization: auth_token " + token});
  if (!body.is_null()) args.insert(args.end(), {"-H", "Content-Type: application/json", "--data", body.dump()});
  args.push_back(service.url() + path);
  const finished_run run = run_to_exit("/usr/bin/curl", args, 30s);
  INFO(method << " " << path << ": " << run.err);
  REQUIRE(run.exit_code == 0);
  const auto last = run.out.rfind('\n');
  REQUIRE(last != std::string::npos);
  curl_answer answer{std::stoi(run.out.substr(last + 1)), nullptr};
  if (last > 0) answer.body = json::parse(run.out.substr(0, last), nullptr, false);
  return answer;
}

}  // namespace

TEST_CASE("an app's walk with curl: sign in, devices, properties, set, read back, refresh, sign out",
          "[e2e][app]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_devices(admin, "a0a0a001").front();
  const app_setup app = make_app_and_user(admin, device);
  auto m = module_for(service, device);
  auto& port = m->port;
  enable_and_listen(port);
  module_sends_temp(port, 21);

  const json login{{"user",
                    {{"email", email},
                     {"password", password},
                     {"application", {{"app_id", app.app_id}, {"app_secret", app.app_secret}}}}}};
  const auto signed_in = curl(service, "POST", "/users/sign_in.json", login);
  REQUIRE(signed_in.status == 200);
  CHECK(signed_in.body.at("expires_in") == 86400);
  const std::string token = signed_in.body.at("access_token");

  const auto devices = curl(service, "GET", "/apiv1/devices.json", nullptr, token);
  REQUIRE(devices.status == 200);
  REQUIRE(devices.body.size() == 1);
  CHECK(devices.body[0]["device"]["dsn"] == device.dsn);
  CHECK(devices.body[0]["device"]["connection_status"] == "Online");

  const std::string base = "/apiv1/dsns/" + device.dsn + "/properties";
  const auto properties = curl(service, "GET", base + ".json", nullptr, token);
  REQUIRE(properties.status == 200);
  REQUIRE(properties.body.size() == 2);
  CHECK(properties.body[0]["property"]["name"] == "Blue_LED");
  CHECK(properties.body[0]["property"]["read_only"] == false);
  CHECK(properties.body[1]["property"]["name"] == "temp");
  CHECK(properties.body[1]["property"]["value"] == 21);

  const auto set = curl(service, "POST", base + "/Blue_LED/datapoints.json", {{"datapoint", {{"value", 1}}}}, token);
  CHECK(set.status == 201);
  const std::string urc = "\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n";
  CHECK(port.read_until(urc).ends_with(urc));
  CHECK(curl(service, "POST", base + "/temp/datapoints.json", {{"datapoint", {{"value", 5}}}}, token).status == 422);

  const auto points = curl(service, "GET", base + "/temp/datapoints.json?limit=1", nullptr, token);
  REQUIRE(points.status == 200);
  CHECK(points.body.back()["datapoint"]["value"] == 21);

  const auto refreshed =
      curl(service, "POST", "/users/refresh_token.json", {{"user", {{"refresh_token", signed_in.body.at("refresh_token")}}}});
  REQUIRE(refreshed.status == 200);
  const std::string fresh = refreshed.body.at("access_token");
  CHECK(fresh != token);
  CHECK(curl(service, "POST", "/users/sign_out.json", {{"user", {{"access_token", fresh}}}}).status == 200);
  const auto refused = curl(service, "GET", "/apiv1/devices.json", nullptr, fresh);
  CHECK(refused.status == 401);
  CHECK(refused.body["error"]["message"].is_string());

  // No token, password or secret in the service's log.
  const std::string log = service.log_text();
  for (const std::string& secret : {token, fresh, password, app.app_secret})
    CHECK(log.find(secret) == std::string::npos);
}

TEST_CASE("an app's walk with Python's standard library (urllib, ssl with the service's CA)", "[e2e][app]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_devices(admin, "a0a0a002").front();
  const app_setup app = make_app_and_user(admin, device);
  auto m = module_for(service, device);
  auto& port = m->port;
  enable_and_listen(port);
  module_sends_temp(port, 21);
  module_sends_temp(port, 22);

  const finished_run run = run_to_exit(
      "/usr/bin/python3",
      {std::string(SIM7600_SOURCE_DIR) + "/examples/app-api/app_walk.py", "--base", service.url(), "--ca",
       service.ca_file().string(), "--app-id", app.app_id, "--app-secret", app.app_secret, "--email", email,
       "--password", password, "--dsn", device.dsn, "--set", "Blue_LED=1", "--read", "temp", "--expect", "22"},
      60s);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("temp: 22\n") != std::string::npos);
  CHECK(run.out.find("signed out: the token is refused") != std::string::npos);
  const std::string urc = "\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n";
  CHECK(port.read_until(urc).ends_with(urc));
}
