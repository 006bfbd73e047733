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
// the device (unless the user's app is to register it): what an OEM does on the console before its app ships.
app_setup make_app_and_user(const admin_client& admin, const factory_device& device, bool owns_device = true) {
  const json properties = json::array({{{"name", "Blue_LED"}, {"base_type", "boolean"}, {"direction", "input"}},
                                       {{"name", "temp"}, {"base_type", "integer"}, {"direction", "output"}}});
  REQUIRE(admin.put("/oems/" + device.oem_id + "/models/" + device.model + "/template", {{"properties", properties}})
              .status == 200);
  const auto app = admin.post("/oems/" + device.oem_id + "/applications", {{"name", "Acme Home"}});
  REQUIRE(app.status == 201);
  const auto user = admin.post("/users", {{"email", email}, {"password", password}, {"app_id", app.body.at("app_id")}});
  REQUIRE(user.status == 201);
  if (owns_device) REQUIRE(admin.put("/devices/" + device.dsn + "/owner", {{"email", email}}).status == 200);
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

// One request with curl to `base`, verifying the service against its CA, as a shell script would send it;
// `extra` goes before the URL (--resolve for a host name).
curl_answer curl_at(const device_service& service, const std::string& base, const std::vector<std::string>& extra,
                    const std::string& method, const std::string& path, const json& body, const std::string& token) {
  std::vector<std::string> args = {"--silent", "--show-error", "--cacert", service.ca_file().string(), "-X", method,
                                   "-w", "\n%{http_code}"};
  args.insert(args.end(), extra.begin(), extra.end());
  if (!token.empty()) args.insert(args.end(), {"-H", "Authorization: auth_token " + token});
  if (!body.is_null()) args.insert(args.end(), {"-H", "Content-Type: application/json", "--data", body.dump()});
  args.push_back(base + path);
  const finished_run run = run_to_exit("/usr/bin/curl", args, 30s);
  INFO(method << " " << base << path << ": " << run.err);
  REQUIRE(run.exit_code == 0);
  const auto last = run.out.rfind('\n');
  REQUIRE(last != std::string::npos);
  curl_answer answer{std::stoi(run.out.substr(last + 1)), nullptr};
  if (last > 0) answer.body = json::parse(run.out.substr(0, last), nullptr, false);
  return answer;
}

curl_answer curl(const device_service& service, const std::string& method, const std::string& path,
                 const json& body = nullptr, const std::string& token = "") {
  return curl_at(service, service.url(), {}, method, path, body, token);
}

// The end user signs in with curl; the access token.
std::string sign_in(const device_service& service, const app_setup& app) {
  const json login{{"user",
                    {{"email", email},
                     {"password", password},
                     {"application", {{"app_id", app.app_id}, {"app_secret", app.app_secret}}}}}};
  const auto signed_in = curl(service, "POST", "/users/sign_in.json", login);
  REQUIRE(signed_in.status == 200);
  return signed_in.body.at("access_token");
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

namespace {

// One request with curl to an Ayla host name that --resolve points at the listener at `url` (a hosts-file entry in a
// test), the certificate verified against the service's CA for that name.
curl_answer curl_as_host(const device_service& service, const std::string& url, const std::string& ayla_host,
                         const std::string& method, const std::string& path, const json& body = nullptr,
                         const std::string& token = "") {
  const std::string port = url.substr(url.rfind(':') + 1);
  return curl_at(service, "https://" + ayla_host + ":" + port, {"--resolve", ayla_host + ":" + port + ":127.0.0.1"},
                 method, path, body, token);
}

}  // namespace

TEST_CASE("Ayla's host names reach ads-sim: user service and application API on listeners of their own",
          "[e2e][app]") {
  device_service service({"--user-listen", "127.0.0.1:0", "--app-listen", "127.0.0.1:0"});
  const std::string user_url = service.ready_url("user");
  const std::string app_url = service.ready_url("app");
  REQUIRE(user_url.starts_with("https://127.0.0.1:"));
  REQUIRE(app_url.starts_with("https://127.0.0.1:"));
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_devices(admin, "a0a0a003").front();
  const app_setup app = make_app_and_user(admin, device);
  const json login{{"user",
                    {{"email", email},
                     {"password", password},
                     {"application", {{"app_id", app.app_id}, {"app_secret", app.app_secret}}}}}};

  // Each region's user host, as the clients spell it, signs in over TLS verified for that name.
  std::string token;
  for (const std::string host : {"user-field.aylanetworks.com", "user-field-eu.aylanetworks.com",
                                 "user-sharkue1.aylanetworks.com", "user-field.ayla.com.cn"}) {
    const auto signed_in = curl_as_host(service, user_url, host, "POST", "/users/sign_in.json", login);
    INFO(host);
    REQUIRE(signed_in.status == 200);
    token = signed_in.body.at("access_token");
  }
  for (const std::string host : {"ads-field.aylanetworks.com", "ads-eu.aylanetworks.com",
                                 "ads-field-eu.aylanetworks.com", "ads-sharkue1.aylanetworks.com"}) {
    const auto devices = curl_as_host(service, app_url, host, "GET", "/apiv1/devices.json", nullptr, token);
    INFO(host);
    REQUIRE(devices.status == 200);
    CHECK(devices.body.at(0).at("device").at("dsn") == device.dsn);
  }

  // sharkiq's way in: its identity provider's token (here minted by the admin API) at Shark's user host.
  const auto minted = admin.post("/identity_tokens", {{"email", email}, {"app_id", app.app_id}});
  REQUIRE(minted.status == 201);
  const json exchange{{"app_id", app.app_id}, {"app_secret", app.app_secret}, {"token", minted.body.at("id_token")}};
  const auto by_token =
      curl_as_host(service, user_url, "user-sharkue1.aylanetworks.com", "POST", "/api/v1/token_sign_in", exchange);
  REQUIRE(by_token.status == 200);
  CHECK(curl_as_host(service, app_url, "ads-sharkue1.aylanetworks.com", "GET", "/apiv1/devices.json", nullptr,
                     by_token.body.at("access_token"))
            .status == 200);

  // Each listener answers only its part; the main port still answers everything.
  CHECK(curl_as_host(service, user_url, "user-field.aylanetworks.com", "GET", "/apiv1/devices.json", nullptr, token)
            .status == 404);
  const auto elsewhere = curl_as_host(service, app_url, "ads-field.aylanetworks.com", "POST", "/users/sign_in.json", login);
  CHECK(elsewhere.status == 404);
  CHECK(elsewhere.body["errors"].is_string());
  CHECK(curl_as_host(service, user_url, "user-field.aylanetworks.com", "GET", "/api/v1/oems").status == 404);
  CHECK(curl(service, "GET", "/apiv1/devices.json", nullptr, token).status == 200);

  // No token, identity token, password or secret in the service's log.
  const std::string log = service.log_text();
  for (const std::string& secret : {token, by_token.body.at("access_token").get<std::string>(),
                                   minted.body.at("id_token").get<std::string>(), password, app.app_secret})
    CHECK(log.find(secret) == std::string::npos);
}

TEST_CASE("an app registers the module by the token it shows, then a batch sets Blue_LED and the module prints "
          "+ADA: \"p\"",
          "[e2e][app][regtoken]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_devices(admin, "a0a0a002").front();
  const app_setup app = make_app_and_user(admin, device, false);
  auto m = module_for(service, device);
  auto& port = m->port;
  enable_and_listen(port);  // its GET /dsns made the token it shows

  // What a person reads off the device (ads-admin registration-token sends this).
  const auto shown = admin.get("/devices/" + device.dsn + "/registration_token");
  REQUIRE(shown.status == 200);
  const std::string regtoken = shown.body.at("regtoken");
  const std::string token = sign_in(service, app);
  CHECK(curl(service, "GET", "/apiv1/devices.json", nullptr, token).body == json::array());
  const auto registered = curl(service, "POST", "/apiv1/devices.json", {{"device", {{"regtoken", regtoken}}}}, token);
  REQUIRE(registered.status == 201);
  CHECK(registered.body["device"]["dsn"] == device.dsn);
  CHECK(registered.body["device"]["registration_type"] == "Display");
  CHECK(curl(service, "POST", "/apiv1/devices.json", {{"device", {{"regtoken", regtoken}}}}, token).status == 404);

  const json batch{{"batch_datapoints",
                    {{{"dsn", device.dsn}, {"name", "Blue_LED"}, {"datapoint", {{"value", 1}}}},
                     {{"dsn", "AC000W999999999"}, {"name", "Blue_LED"}, {"datapoint", {{"value", 1}}}}}}};
  const auto set = curl(service, "POST", "/apiv1/batch_datapoints.json", batch, token);
  REQUIRE(set.status == 201);
  REQUIRE(set.body.size() == 2);
  CHECK(set.body[0]["status"] == 201);
  CHECK(set.body[1]["status"] == 404);
  const std::string urc = "\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n";
  CHECK(port.read_until(urc).ends_with(urc));
}
