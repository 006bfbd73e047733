// The app side (PROTOCOL.md §6): Ayla's user service and application API through the service core, as the public
// app clients call them — what a user sees, what another user and a stale token do not.
#include "ads_sim/store/sqlite_store.hpp"
#include "ads_sim/user_service.hpp"
#include "tests/unit/ads_sim/support.hpp"

using namespace ads_sim_test;

namespace {

const std::string& message_of(const json& error) { return error["errors"].get_ref<const std::string&>(); }

// What the device reads from GET /dsns: its registered flag, registration type and, while it has no owner, the
// registration token it shows.
json dsns_of(core_fixture& f, clock_time now = t0) {
  const auto answer = f.device_call("GET", "/dsns/" + f.device.dsn + ".json", nullptr, now);
  REQUIRE(answer.status == 200);
  return body_of(answer)["device"];
}

// An end user of another OEM ("0b0b0b0b"), signed in.
app_user other_oem_user(core_fixture& f) {
  REQUIRE(f.core.create_oem("0b0b0b0b", "Other", "other@example.com", t0));
  const auto app = f.respond(admin_request("POST", "/oems/0b0b0b0b/applications", json{{"name", "Other app"}}));
  app_user eve;
  eve.app_id = body_of(app)["app_id"];
  eve.app_secret = body_of(app)["app_secret"];
  eve.email = "eve@example.com";
  const json made{{"email", eve.email}, {"password", "s3cret-pass"}, {"app_id", eve.app_id}};
  REQUIRE(f.respond(admin_request("POST", "/users", made)).status == 201);
  const auto signed_in = f.respond(make_request("POST", "/users/sign_in.json", eve.sign_in_body("s3cret-pass").dump()));
  REQUIRE(signed_in.status == 200);
  eve.access_token = body_of(signed_in)["access_token"];
  return eve;
}

json register_by_token(const std::string& token) { return json{{"device", {{"regtoken", token}}}}; }

// The device posts a from-device datapoint, as AT+ADA="s" makes the module do.
void device_sends(core_fixture& f, const std::string& name, const json& value, clock_time now = t0) {
  const json body{{"datapoint", {{"name", name}, {"base_type", "integer"}, {"value", value}}}};
  REQUIRE(f.device_call("POST", f.device_path("/properties/" + name + "/datapoints.json"), body, now).status == 201);
}

}  // namespace

TEST_CASE("sign-in answers tokens, a wrong application is 404, a wrong password 401", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  CHECK(user.access_token.size() == 32);
  CHECK(user.refresh_token != user.access_token);

  const auto answer = f.respond(make_request("POST", "/users/sign_in.json", user.sign_in_body(user.password).dump()));
  CHECK(answer.status == 200);
  CHECK(body_of(answer)["expires_in"] == 86400);
  CHECK(body_of(answer)["role"] == "EndUser");

  auto wrong_app = user.sign_in_body(user.password);
  wrong_app["user"]["application"]["app_secret"] = "nope";
  const auto refused_app = f.respond(make_request("POST", "/users/sign_in.json", wrong_app.dump()));
  CHECK(refused_app.status == 404);
  CHECK(body_of(refused_app)["error"]["message"] == message_of(body_of(refused_app)));

  const auto refused = f.respond(make_request("POST", "/users/sign_in.json", user.sign_in_body("wrong-pass").dump()));
  CHECK(refused.status == 401);
  CHECK(message_of(body_of(refused)) == "Invalid email or password");
  // An unknown email is refused the same way.
  auto unknown = user.sign_in_body(user.password);
  unknown["user"]["email"] = "nobody@example.com";
  CHECK(f.respond(make_request("POST", "/users/sign_in.json", unknown.dump())).status == 401);
}

TEST_CASE("sign-in is throttled as the console's login is", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  const auto wrong = make_request("POST", "/users/sign_in.json", user.sign_in_body("wrong-pass").dump());
  for (int i = 0; i < ads_sim::console::free_login_failures; ++i) CHECK(f.respond(wrong).status == 401);
  const auto right = make_request("POST", "/users/sign_in.json", user.sign_in_body(user.password).dump());
  const auto throttled = f.respond(right);
  CHECK(throttled.status == 429);
  CHECK(message_of(body_of(throttled)).find("try again in 30 s") != std::string::npos);
  CHECK(f.respond(right, t0 + std::chrono::seconds(31)).status == 200);
}

TEST_CASE("sign-up makes a confirmed user who can sign in", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  const json body{{"user", {{"email", "bob@example.com"}, {"password", "another-pass"}, {"application", user.application()}}}};
  const auto made = f.respond(make_request("POST", "/users.json", body.dump()));
  CHECK(made.status == 201);
  CHECK(body_of(made)["email"] == "bob@example.com");
  CHECK(f.respond(make_request("POST", "/users.json", body.dump())).status == 422);  // taken
  CHECK(f.respond(make_request("POST", "/users/sign_in.json", body.dump())).status == 200);
}

TEST_CASE("refresh gives a new pair and uses the old refresh token up, sign-out revokes", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  const json refresh{{"user", {{"refresh_token", user.refresh_token}}}};
  const auto refreshed = f.respond(make_request("POST", "/users/refresh_token.json", refresh.dump()));
  REQUIRE(refreshed.status == 200);
  const std::string fresh = body_of(refreshed)["access_token"];
  CHECK(fresh != user.access_token);
  CHECK(f.respond(make_request("POST", "/users/refresh_token.json", refresh.dump())).status == 401);

  auto again = user;
  again.access_token = fresh;
  CHECK(f.respond(again.call("GET", "/users/get_user_profile.json")).status == 200);
  const json sign_out{{"user", {{"access_token", fresh}}}};
  const auto out = f.respond(make_request("POST", "/users/sign_out.json", sign_out.dump()));
  CHECK(out.status == 200);
  CHECK(body_of(out) == json{{"logout", true}});
  const auto stale = f.respond(again.call("GET", "/apiv1/devices.json"));
  CHECK(stale.status == 401);
  CHECK(body_of(stale)["error"]["message"].is_string());
}

TEST_CASE("an access token expires after expires_in", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  CHECK(f.respond(user.call("GET", "/apiv1/devices.json"), t0 + std::chrono::seconds(86399)).status == 200);
  CHECK(f.respond(user.call("GET", "/apiv1/devices.json"), t0 + std::chrono::seconds(86400)).status == 401);
}

TEST_CASE("tokens and secrets are stored only as hashes", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  auto& users = f.core.storage().end_users();
  CHECK_FALSE(users.find_access_token(user.access_token, ads_sim::unix_seconds(t0)));
  CHECK(users.find_access_token(ads_client::sha256_hex(user.access_token), ads_sim::unix_seconds(t0)));
  const auto app = users.find_application(user.app_id);
  REQUIRE(app);
  CHECK(app->secret_hash == ads_client::sha256_hex(user.app_secret));
  const auto stored = users.find_end_user_by_email(f.oem_id, user.email);
  REQUIRE(stored);
  CHECK(stored->password_hash.rfind("pbkdf2-sha256$", 0) == 0);
}

TEST_CASE("a user lists, reads and registers only their own devices", "[ads_sim][app]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const auto bob = make_app_user(f, "bob@example.com", false);
  const auto listed = f.respond(ann.call("GET", "/apiv1/devices.json"));
  REQUIRE(listed.status == 200);
  const json devices = body_of(listed);
  REQUIRE(devices.size() == 1);
  const json& device = devices[0]["device"];
  CHECK(device["dsn"] == f.device.dsn);
  CHECK(device["key"] == f.device.key);
  CHECK(device["oem_model"] == f.model);
  CHECK(device["connection_status"] == "Offline");
  // An idle module whose ANS registration is alive (with this replica or another) is online for its user.
  f.core.set_notified(f.device.key, true, t0);
  CHECK(body_of(f.respond(ann.call("GET", "/apiv1/devices.json")))[0]["device"]["connection_status"] == "Online");
  for (const char* field : {"product_name", "model", "mac", "lan_ip"}) CHECK(device.contains(field));
  const std::string key = std::to_string(f.device.key);
  CHECK(f.respond(ann.call("GET", "/apiv1/devices/" + key + ".json")).status == 200);

  CHECK(body_of(f.respond(bob.call("GET", "/apiv1/devices.json"))) == json::array());
  const auto hidden = f.respond(bob.call("GET", "/apiv1/devices/" + key + ".json"));
  CHECK(hidden.status == 404);
  CHECK(body_of(hidden).dump().find(f.device.dsn) == std::string::npos);
  CHECK(f.respond(bob.call("GET", "/apiv1/dsns/" + f.device.dsn + "/properties.json")).status == 404);
  const json register_body{{"device", {{"dsn", f.device.dsn}}}};
  // Ann owns it: Ayla's one answer for a device the user cannot register, which tells no one whose it is.
  const auto taken = f.respond(bob.call("POST", "/apiv1/devices.json", register_body));
  CHECK(taken.status == 404);
  CHECK(message_of(body_of(taken)) == "Unable to find registrable device");
  CHECK(f.respond(bob.call("DELETE", "/apiv1/devices/" + key + ".json")).status == 404);

  const auto unregistered = f.respond(ann.call("DELETE", "/apiv1/devices/" + key + ".json"));
  CHECK(unregistered.status == 200);
  CHECK(unregistered.body.empty());
  CHECK(body_of(f.respond(ann.call("GET", "/apiv1/devices.json"))) == json::array());
  const auto registered = f.respond(bob.call("POST", "/apiv1/devices.json", register_body));
  CHECK(registered.status == 201);
  CHECK(body_of(registered)["device"]["dsn"] == f.device.dsn);
  CHECK(body_of(registered)["device"]["registration_type"] == "Dsn");
  CHECK(f.respond(bob.call("POST", "/apiv1/devices.json", json{{"device", {{"dsn", "AC000W999999999"}}}})).status ==
        404);
}

TEST_CASE("another OEM's user never sees the OEM's devices", "[ads_sim][app]") {
  core_fixture f;
  make_app_user(f);
  REQUIRE(f.core.create_oem("0b0b0b0b", "Other", "other@example.com", t0));
  const auto app = f.respond(admin_request("POST", "/oems/0b0b0b0b/applications", json{{"name", "Other app"}}));
  const json made{{"email", "eve@example.com"}, {"password", "s3cret-pass"}, {"app_id", body_of(app)["app_id"]}};
  REQUIRE(f.respond(admin_request("POST", "/users", made)).status == 201);
  // The admin API registers a device to its own OEM's users only.
  CHECK(f.respond(admin_request("PUT", "/devices/" + f.device.dsn + "/owner", json{{"email", "eve@example.com"}}))
            .status == 404);
  const json sign_in{{"user",
                      {{"email", "eve@example.com"},
                       {"password", "s3cret-pass"},
                       {"application", {{"app_id", body_of(app)["app_id"]}, {"app_secret", body_of(app)["app_secret"]}}}}}};
  const auto signed_in = f.respond(make_request("POST", "/users/sign_in.json", sign_in.dump()));
  REQUIRE(signed_in.status == 200);
  app_user eve;
  eve.access_token = body_of(signed_in)["access_token"];
  CHECK(f.respond(eve.call("POST", "/apiv1/devices.json", json{{"device", {{"dsn", f.device.dsn}}}})).status == 404);
}

TEST_CASE("properties: listed by name, filtered by names[], times without fractions", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(1), "boolean", t0));
  device_sends(f, "temp", 21);
  const std::string base = "/apiv1/dsns/" + f.device.dsn + "/properties";
  const json all = body_of(f.respond(user.call("GET", base + ".json")));
  REQUIRE(all.size() == 2);
  const json& led = all[0]["property"];
  CHECK(led["name"] == "Blue_LED");
  CHECK(led["base_type"] == "boolean");
  CHECK(led["value"] == 1);
  CHECK(led["read_only"] == false);
  CHECK(led["direction"] == "input");
  CHECK(led["data_updated_at"] == "2027-01-15T08:00:00Z");
  CHECK(all[1]["property"]["read_only"] == true);
  const json some = body_of(f.respond(user.call("GET", base + ".json?names%5B%5D=temp")));
  REQUIRE(some.size() == 1);
  CHECK(some[0]["property"]["name"] == "temp");
  const auto one = f.respond(user.call("GET", base + "/temp.json"));
  CHECK(body_of(one)["property"]["value"] == 21);
  CHECK(f.respond(user.call("GET", base + "/nosuch.json")).status == 404);
}

TEST_CASE("a to-device datapoint is queued for the module and wakes it, a from-device one is refused",
          "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(0), "boolean", t0));
  device_sends(f, "temp", 21);
  f.core.take_woken_devices();
  const std::string base = "/apiv1/dsns/" + f.device.dsn + "/properties";
  const auto set = f.respond(user.call("POST", base + "/Blue_LED/datapoints.json", json{{"datapoint", {{"value", 1}}}}));
  CHECK(set.status == 201);
  CHECK(body_of(set)["datapoint"]["value"] == 1);
  CHECK(body_of(set)["datapoint"]["created_at"] == "2027-01-15T08:00:00Z");
  CHECK(f.core.take_woken_devices() == std::vector<std::int64_t>{f.device.key});
  const json commands = body_of(f.respond(f.with_token(make_request("GET", f.device_path("/commands.json")), f.token())));
  CHECK(commands["commands"]["properties"][0]["property"]["value"] == 1);

  const auto read_only = f.respond(user.call("POST", base + "/temp/datapoints.json", json{{"datapoint", {{"value", 5}}}}));
  CHECK(read_only.status == 422);
  CHECK(message_of(body_of(read_only)) == "Property is read only");
  CHECK(f.respond(user.call("POST", base + "/nosuch/datapoints.json", json{{"datapoint", {{"value", 5}}}})).status ==
        404);
  CHECK(f.respond(user.call("POST", base + "/Blue_LED/datapoints.json", json{{"datapoint", {{"value", "x"}}}}))
            .status == 422);
}

TEST_CASE("datapoints: limit, pages, time filters, and by property key", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  for (int i = 0; i < 5; ++i) device_sends(f, "temp", 20 + i, t0 + std::chrono::seconds(60 * i));
  const std::string base = "/apiv1/dsns/" + f.device.dsn + "/properties/temp/datapoints.json";
  const auto values = [&](const std::string& target) {
    std::vector<int> seen;
    for (const auto& point : body_of(f.respond(user.call("GET", target)))) seen.push_back(point["datapoint"]["value"]);
    return seen;
  };
  CHECK(values(base) == std::vector<int>{20, 21, 22, 23, 24});
  CHECK(values(base + "?limit=1") == std::vector<int>{24});
  CHECK(values(base + "?page=2&per_page=2") == std::vector<int>{22, 23});
  CHECK(values(base + "?filter%5Bcreated_at_since_date%5D=2027-01-15T08:01:00Z&filter[created_at_end_date]="
                      "2027-01-15T08:03:00Z") == std::vector<int>{21, 22, 23});
  CHECK(f.respond(user.call("GET", base + "?limit=0")).status == 400);
  const json property = body_of(f.respond(user.call("GET", "/apiv1/dsns/" + f.device.dsn + "/properties/temp.json")));
  const std::string key = std::to_string(property["property"]["key"].get<std::int64_t>());
  CHECK(values("/apiv1/properties/" + key + "/datapoints.json?limit=2") == std::vector<int>{23, 24});
  const auto bob = make_app_user(f, "bob@example.com", false);
  CHECK(f.respond(bob.call("GET", "/apiv1/properties/" + key + "/datapoints.json")).status == 404);
}

TEST_CASE("a version 1 database gains the app side's tables and keeps its data", "[ads_sim][app][store]") {
  temp_dir dir;
  const auto file = dir.path() / "ads.db";
  {
    ads_sim::sqlite::database old(file);
    REQUIRE(old.exec("CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                     "INSERT INTO meta VALUES('schema_version', '1'), ('next_dsn', '1');"
                     "CREATE TABLE oems(oem_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, "
                     "secret TEXT NOT NULL, created_at TEXT NOT NULL);"
                     "CREATE TABLE devices(key INTEGER PRIMARY KEY AUTOINCREMENT, dsn TEXT NOT NULL UNIQUE, "
                     "oem_id TEXT NOT NULL REFERENCES oems(oem_id), model TEXT NOT NULL, hwid TEXT, "
                     "public_key TEXT NOT NULL, private_key TEXT NOT NULL, fw_version TEXT NOT NULL DEFAULT '', "
                     "template_version TEXT NOT NULL DEFAULT '', last_seen INTEGER NOT NULL DEFAULT 0, "
                     "created_at TEXT NOT NULL, UNIQUE(oem_id, hwid));"
                     "INSERT INTO oems VALUES('71866f33', 'Acme', 'a@example.com', 's', 'then');"));
  }
  ads_sim::service_core core(file, admin_token);
  REQUIRE(core.ok());
  CHECK(core.find_oem("71866f33"));
  CHECK(ads_sim::create_application(core.storage(), "71866f33", "Acme Home", t0));
  ads_sim::sqlite::database after(file);
  ads_sim::sqlite::statement version(after, "SELECT value FROM meta WHERE name = 'schema_version'");
  REQUIRE(version.step());
  CHECK(version.column_text(0) == "5");  // and on to the latest (metadata, the listening deadline, registration tokens)
}

TEST_CASE("a template's property with no value yet is listed, and a to-device one can be set", "[ads_sim][app]") {
  core_fixture f;
  const auto user = make_app_user(f);
  const json list = json::array({{{"name", "Blue_LED"}, {"base_type", "boolean"}, {"direction", "input"}},
                                 {{"name", "temp"}, {"base_type", "integer"}, {"direction", "output"}}});
  REQUIRE(f.core.set_template(f.oem_id, f.model, list));
  const std::string base = "/apiv1/dsns/" + f.device.dsn + "/properties";
  const json all = body_of(f.respond(user.call("GET", base + ".json")));
  REQUIRE(all.size() == 2);
  CHECK(all[0]["property"]["name"] == "Blue_LED");
  CHECK(all[0]["property"]["value"] == nullptr);
  CHECK(all[1]["property"]["read_only"] == true);
  CHECK(f.respond(user.call("GET", base + "/temp.json")).status == 200);
  CHECK(f.respond(user.call("POST", base + "/Blue_LED/datapoints.json", json{{"datapoint", {{"value", true}}}}))
            .status == 201);
  CHECK(f.respond(user.call("POST", base + "/temp/datapoints.json", json{{"datapoint", {{"value", 1}}}})).status ==
        422);
}

TEST_CASE("registration by token: the device shows it, a user registers by it once, then it has none",
          "[ads_sim][app][regtoken]") {
  core_fixture f;
  const auto ann = make_app_user(f, "ann@example.com", false);
  const auto bob = make_app_user(f, "bob@example.com", false);
  const json shown = dsns_of(f);
  CHECK(shown["registered"] == false);
  CHECK(shown["registration_type"] == "Dsn");
  const std::string token = shown["regtoken"];
  CHECK(token.size() == 6);
  CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(dsns_of(f, t0 + std::chrono::seconds(60))["regtoken"] == token);  // the same while it lives
  // What a person reads off the device, through the admin API (ads-admin registration-token).
  const auto read = f.respond(admin_request("GET", "/devices/" + f.device.dsn + "/registration_token"));
  REQUIRE(read.status == 200);
  CHECK(body_of(read) == json{{"dsn", f.device.dsn},
                              {"regtoken", token},
                              {"expires_at", ads_sim::iso8601(t0 + std::chrono::seconds(3600))}});

  // A user of another OEM who types it gets Ayla's 404 and does not use it up.
  const auto eve = other_oem_user(f);
  CHECK(f.respond(eve.call("POST", "/apiv1/devices.json", register_by_token(token))).status == 404);
  // A DSN beside the token must be the token's device.
  const json mismatched{{"device", {{"dsn", "AC000W999999999"}, {"regtoken", token}}}};
  CHECK(f.respond(ann.call("POST", "/apiv1/devices.json", mismatched)).status == 404);
  CHECK(f.respond(ann.call("POST", "/apiv1/devices.json", json{{"device", json::object()}})).status == 400);

  const auto registered = f.respond(ann.call("POST", "/apiv1/devices.json", register_by_token(token)));
  REQUIRE(registered.status == 201);
  CHECK(body_of(registered)["device"]["dsn"] == f.device.dsn);
  CHECK(body_of(registered)["device"]["registration_type"] == "Display");
  CHECK(body_of(f.respond(ann.call("GET", "/apiv1/devices.json")))[0]["device"]["dsn"] == f.device.dsn);
  const json after = dsns_of(f);
  CHECK(after["registered"] == true);
  CHECK(after["registration_type"] == "Display");
  CHECK_FALSE(after.contains("regtoken"));

  // Used once: Bob's try is Ayla's 404, with nothing of the device in it.
  const auto again = f.respond(bob.call("POST", "/apiv1/devices.json", register_by_token(token)));
  CHECK(again.status == 404);
  CHECK(again.body.find(f.device.dsn) == std::string::npos);
  CHECK(f.respond(admin_request("GET", "/devices/" + f.device.dsn + "/registration_token")).status == 409);

  // Unregistered, the device shows a token again, and Bob registers by it.
  REQUIRE(f.respond(ann.call("DELETE", "/apiv1/devices/" + std::to_string(f.device.key) + ".json")).status == 200);
  const json unowned = dsns_of(f);
  CHECK(unowned["registered"] == false);
  const std::string next = unowned["regtoken"];
  CHECK(f.respond(bob.call("POST", "/apiv1/devices.json",
                           json{{"device", {{"dsn", f.device.dsn}, {"regtoken", next}}}}))
            .status == 201);
}

TEST_CASE("registration by token: a token ends after an hour, and the device then shows another",
          "[ads_sim][app][regtoken]") {
  core_fixture f;
  const auto ann = make_app_user(f, "ann@example.com", false);
  const std::string token = dsns_of(f)["regtoken"];
  const clock_time expiry = t0 + std::chrono::seconds(ads_sim::registration_token_secs);
  CHECK(f.respond(ann.call("POST", "/apiv1/devices.json", register_by_token(token)), expiry).status == 404);
  const std::string next = dsns_of(f, expiry)["regtoken"];
  CHECK(f.respond(ann.call("POST", "/apiv1/devices.json", register_by_token(next)), expiry).status == 201);
}

TEST_CASE("registration by DSN uses the device's token up", "[ads_sim][app][regtoken]") {
  core_fixture f;
  const auto ann = make_app_user(f, "ann@example.com", false);
  const auto bob = make_app_user(f, "bob@example.com", false);
  const std::string token = dsns_of(f)["regtoken"];
  REQUIRE(f.respond(ann.call("POST", "/apiv1/devices.json", json{{"device", {{"dsn", f.device.dsn}}}})).status == 201);
  CHECK(dsns_of(f)["registration_type"] == "Dsn");
  REQUIRE(f.respond(ann.call("DELETE", "/apiv1/devices/" + std::to_string(f.device.key) + ".json")).status == 200);
  CHECK(f.respond(bob.call("POST", "/apiv1/devices.json", register_by_token(token))).status == 404);
}

TEST_CASE("batch datapoints: each element its own status, to-device values wake their modules, another user's "
          "device is refused without its data",
          "[ads_sim][app][batch]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const auto bob = make_app_user(f, "bob@example.com", false);
  const auto made = f.core.create_factory_devices(f.oem_id, f.model, ads_sim::fresh_keys(1), t0);
  REQUIRE(made);
  const std::string bobs_dsn = made->front().dsn;
  REQUIRE(f.respond(admin_request("PUT", "/devices/" + bobs_dsn + "/owner", json{{"email", bob.email}})).status == 200);
  const json list = json::array({{{"name", "Blue_LED"}, {"base_type", "boolean"}, {"direction", "input"}},
                                 {{"name", "temp"}, {"base_type", "integer"}, {"direction", "output"}}});
  REQUIRE(f.core.set_template(f.oem_id, f.model, list));
  f.core.take_woken_devices();

  const json elements = json::array(
      {{{"dsn", f.device.dsn}, {"name", "Blue_LED"}, {"datapoint", {{"value", 1}, {"metadata", {{"by", "batch"}}}}}},
       {{"dsn", bobs_dsn}, {"name", "Blue_LED"}, {"datapoint", {{"value", 1}}}},
       {{"dsn", f.device.dsn}, {"name", "temp"}, {"datapoint", {{"value", 5}}}},
       {{"dsn", f.device.dsn}, {"name", "nosuch"}, {"datapoint", {{"value", 5}}}},
       {{"dsn", f.device.dsn}, {"name", "Blue_LED"}}});
  const auto answer = f.respond(ann.call("POST", "/apiv1/batch_datapoints.json", json{{"batch_datapoints", elements}}));
  REQUIRE(answer.status == 201);
  const json results = body_of(answer);
  REQUIRE(results.size() == 5);
  std::vector<int> statuses;
  for (const auto& result : results) statuses.push_back(result["status"]);
  CHECK(statuses == std::vector<int>{201, 404, 422, 404, 400});
  CHECK(results[0]["dsn"] == f.device.dsn);
  CHECK(results[0]["name"] == "Blue_LED");
  CHECK(results[0]["datapoint"]["value"] == 1);
  CHECK(results[0]["datapoint"]["metadata"] == json{{"by", "batch"}});
  CHECK(results[1] == json{{"dsn", bobs_dsn},
                           {"name", "Blue_LED"},
                           {"status", 404},
                           {"error", {{"message", "Device not found"}}},
                           {"errors", "Device not found"}});
  CHECK(message_of(results[2]) == "Property is read only");

  // Only Ann's device is woken and gets the value; Bob's has none.
  CHECK(f.core.take_woken_devices() == std::vector<std::int64_t>{f.device.key});
  const auto taken = f.respond(f.with_token(make_request("GET", f.device_path("/commands.json")), f.token()));
  CHECK(body_of(taken)["commands"]["properties"][0]["property"]["value"] == 1);
  CHECK(f.core.storage().properties().find_property(made->front().key, "Blue_LED").error() ==
        ads_sim::store_error::not_found);

  CHECK(f.respond(ann.call("POST", "/apiv1/batch_datapoints.json", json{{"batch_datapoints", json::array()}}))
            .status == 400);
  const json too_many(101, elements[0]);
  CHECK(f.respond(ann.call("POST", "/apiv1/batch_datapoints.json", json{{"batch_datapoints", too_many}})).status ==
        400);
  CHECK(f.respond(ann.call("POST", "/apiv1/batch_datapoints.json", json::object())).status == 400);
}

TEST_CASE("device metadata in Ayla's shapes: dsn and from_template, keys= patterns, 200 on delete",
          "[ads_sim][app][metadata]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const std::string base = "/apiv1/dsns/" + f.device.dsn + "/data";
  for (const char* key : {"room_list", "room_map", "zone"}) {
    const auto made = f.respond(ann.call("POST", base + ".json", json{{"datum", {{"key", key}, {"value", "v"}}}}));
    REQUIRE(made.status == 201);
    CHECK(body_of(made)["datum"] == json{{"key", key},
                                         {"value", "v"},
                                         {"dsn", f.device.dsn},
                                         {"from_template", false},
                                         {"created_at", "2027-01-15T08:00:00Z"},
                                         {"updated_at", "2027-01-15T08:00:00Z"}});
  }
  const auto keys_of = [&](const std::string& query) {
    std::vector<std::string> keys;
    for (const auto& datum : body_of(f.respond(ann.call("GET", base + ".json" + query))))
      keys.push_back(datum["datum"]["key"]);
    return keys;
  };
  CHECK(keys_of("") == std::vector<std::string>{"room_list", "room_map", "zone"});
  CHECK(keys_of("?keys=room%25") == std::vector<std::string>{"room_list", "room_map"});
  CHECK(keys_of("?keys=%25map") == std::vector<std::string>{"room_map"});
  CHECK(keys_of("?keys=%25o%25") == std::vector<std::string>{"room_list", "room_map", "zone"});
  CHECK(keys_of("?keys=zone") == std::vector<std::string>{"zone"});
  // DatumRequest may carry the key again: the path's is the one changed.
  const auto changed =
      f.respond(ann.call("PUT", base + "/zone.json", json{{"datum", {{"key", "zone"}, {"value", "2"}}}}));
  CHECK(body_of(changed)["datum"]["value"] == "2");
  const auto deleted = f.respond(ann.call("DELETE", base + "/zone.json"));
  CHECK(deleted.status == 200);
  CHECK(deleted.body.empty());
  CHECK(f.respond(ann.call("GET", base + "/zone.json")).status == 404);
}
