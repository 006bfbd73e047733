#include <fstream>
#include <sstream>

#include "ads_client/base64.hpp"
#include "console_support.hpp"

using namespace ads_sim_test;

namespace {

// The two OEMs of console_support, with the console's job helpers.
struct two_oems_with_jobs : two_oems {

  std::int64_t upload_module_image(const std::string& version = "v2") {
    const auto uploaded = respond(console_request(
        "POST", "/images", &maker_session,
        json{{"model", "SIMCOM_SIM7600E-L1C"}, {"version", version}, {"description", "small package"},
             {"data_base64", ads_client::base64_encode("image bytes")}}));
    REQUIRE(uploaded.status == 201);
    return body_of(uploaded)["image_id"];
  }

  std::int64_t create_job(const console_session& who, std::int64_t image_id, const std::string& description = "") {
    const auto created = respond(console_request(
        "POST", "/ota_jobs", &who,
        json{{"image_id", image_id}, {"oem_model", "myoemmodel"}, {"description", description}}));
    REQUIRE(created.status == 201);
    return body_of(created)["job_id"];
  }
};

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(SIM7600_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("every console API route without a session answers 401", "[ads_sim][console][security]") {
  console_fixture f;
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/logout"},          {"GET", "/session"},
      {"GET", "/oems"},             {"POST", "/oems"},
      {"GET", "/images"},           {"POST", "/images"},
      {"GET", "/provision_keys"},   {"POST", "/provision_keys"},
      {"GET", "/models"},           {"GET", "/devices"},
      {"GET", "/devices/AC000W000000001"},
      {"GET", "/devices/AC000W000000001/properties/Blue_LED/datapoints"},
      {"PUT", "/devices/AC000W000000001/properties/Blue_LED"},
      {"POST", "/ota_jobs/preview"}, {"POST", "/ota_jobs"},
      {"GET", "/ota_jobs"},         {"GET", "/ota_jobs/1"},
      {"POST", "/ota_jobs/1/start"},
  };
  for (const auto& [method, path] : routes) {
    INFO(method << " " << path);
    CHECK(f.respond(console_request(method, path, nullptr, json::object())).status == 401);
    auto forged = console_request(method, path, nullptr, json::object());
    forged.headers.emplace_back("Cookie", "__Host-ads-console=" + std::string(64, 'a'));
    CHECK(f.respond(forged).status == 401);
  }
  // The admin token is the scripts' credential, not the console's.
  auto with_token = console_request("GET", "/devices", nullptr);
  with_token.headers.emplace_back("Authorization", "Bearer " + admin_token);
  CHECK(f.respond(with_token).status == 401);
  CHECK(f.respond(admin_request("GET", "/devices")).status == 200);
}

TEST_CASE("an OEM sees only its own devices, another OEM's device or job is 403", "[ads_sim][console][security]") {
  two_oems_with_jobs f;
  const auto listed = body_of(f.respond(console_request("GET", "/devices", &f.a)))["devices"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["dsn"] == f.dsn_a);
  CHECK_FALSE(listed[0].contains("key"));
  CHECK(f.respond(console_request("GET", "/devices/" + f.dsn_a, &f.a)).status == 200);
  CHECK(f.respond(console_request("GET", "/devices/" + f.dsn_b, &f.a)).status == 403);
  CHECK(f.respond(console_request("GET", "/devices/" + f.dsn_b + "/properties/x/datapoints", &f.a)).status == 403);
  CHECK(f.respond(console_request("PUT", "/devices/" + f.dsn_b + "/properties/x", &f.a,
                                  json{{"value", 1}, {"base_type", "integer"}}))
            .status == 403);
  CHECK(f.respond(console_request("GET", "/devices/AC000W999999999", &f.a)).status == 404);

  const auto job_b = f.create_job(f.b, f.upload_module_image());
  CHECK(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(job_b), &f.a)).status == 403);
  CHECK(f.respond(console_request("POST", "/ota_jobs/" + std::to_string(job_b) + "/start", &f.a)).status == 403);
  CHECK(body_of(f.respond(console_request("GET", "/ota_jobs", &f.a)))["ota_jobs"].empty());
  // A job for a model reaches only the caller's devices of it, though B has one of the same model.
  const auto job_a = body_of(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(f.create_job(f.a, 1)),
                                                       &f.a)));
  REQUIRE(job_a["devices"].size() == 1);
  CHECK(job_a["devices"][0]["dsn"] == f.dsn_a);
}

TEST_CASE("the KEY LIST counts, per provision key, the DSNs it gave to devices provisioned in the field",
          "[ads_sim][console]") {
  two_oems_with_jobs f;
  const auto used = ads_client::rsa_key::generate(2048);
  const auto unused = ads_client::rsa_key::generate(2048);
  std::vector<std::string> key_ids;
  for (const auto* key : {&used, &unused}) {
    const auto added =
        f.respond(console_request("POST", "/provision_keys", &f.a, json{{"public_key", key->public_pem()}}));
    REQUIRE(added.status == 201);
    key_ids.push_back(body_of(added)["key_id"]);
  }
  const auto provision = [&](const std::string& hwid) {
    const auto signature = used.sign_recoverable(f.oem_a + " " + hwid + " " + key_ids[0] + " rand");
    REQUIRE(signature.has_value());
    const json body{{"oem_model", "myoemmodel"}, {"signature", ads_client::base64_encode(*signature)}};
    return f.respond(make_request("POST", "/provisions/" + key_ids[0], body.dump())).status;
  };
  CHECK(provision("hw-1") == 201);
  CHECK(provision("hw-2") == 201);
  CHECK(provision("hw-1") == 200);  // the same hardware again: its DSN, not a new one
  std::map<std::string, std::int64_t> counts;
  const auto listed = body_of(f.respond(console_request("GET", "/provision_keys", &f.a)));
  for (const auto& key : listed["provision_keys"]) counts[key["key_id"]] = key["dsns_reserved"];
  CHECK(counts == std::map<std::string, std::int64_t>{{key_ids[0], 2}, {key_ids[1], 0}});
}

TEST_CASE("roles: the module maker's pages refuse an OEM and the OEM's refuse the module maker",
          "[ads_sim][console][security]") {
  two_oems_with_jobs f;
  CHECK(f.respond(console_request("GET", "/oems", &f.a)).status == 403);
  CHECK(f.respond(console_request("POST", "/oems", &f.a, json{{"email", "x@y"}})).status == 403);
  CHECK(f.respond(console_request("GET", "/devices", &f.maker_session)).status == 403);
  CHECK(f.respond(console_request("GET", "/ota_jobs", &f.maker_session)).status == 403);
  CHECK(f.respond(console_request("GET", "/provision_keys", &f.maker_session)).status == 403);
}

TEST_CASE("an OEM's provision keys, models and host images stay its own", "[ads_sim][console]") {
  two_oems_with_jobs f;
  const auto key = ads_client::rsa_key::generate(2048);
  const auto added = f.respond(console_request("POST", "/provision_keys", &f.a, json{{"public_key", key.public_pem()}}));
  REQUIRE(added.status == 201);
  const auto keys = body_of(f.respond(console_request("GET", "/provision_keys", &f.a)))["provision_keys"];
  REQUIRE(keys.size() == 1);
  CHECK(keys[0]["key_id"] == body_of(added)["key_id"]);
  CHECK(keys[0]["oem_id"] == f.oem_a);
  CHECK(keys[0]["dsns_reserved"] == 0);
  CHECK(body_of(f.respond(console_request("GET", "/provision_keys", &f.b)))["provision_keys"].empty());
  CHECK(f.respond(console_request("POST", "/provision_keys", &f.a, json{{"public_key", key.private_pem()}})).status ==
        400);

  const auto models = body_of(f.respond(console_request("GET", "/models", &f.a)))["models"];
  REQUIRE(models.size() == 1);
  CHECK(models[0]["host_name"] == "myoemmodel-aaaa0001-device.ayla.com.cn");

  const auto host = f.respond(console_request(
      "POST", "/images", &f.a,
      json{{"model", "myoemmodel"}, {"version", "host-2"}, {"description", "mcu"},
           {"data_base64", ads_client::base64_encode("mcu")}}));
  REQUIRE(host.status == 201);
  const auto image_id = f.upload_module_image();
  const auto seen_by_a = body_of(f.respond(console_request("GET", "/images", &f.a)))["images"];
  const auto seen_by_b = body_of(f.respond(console_request("GET", "/images", &f.b)))["images"];
  CHECK(seen_by_a.size() == 2);
  REQUIRE(seen_by_b.size() == 1);
  CHECK(seen_by_b[0]["image_id"] == image_id);
  CHECK(seen_by_b[0]["type"] == "module");
  CHECK(f.respond(console_request("POST", "/ota_jobs/preview", &f.b,
                                  json{{"image_id", body_of(host)["image_id"]}, {"oem_model", "myoemmodel"}}))
            .status == 404);
}

TEST_CASE("an OEM previews, creates and starts a job, and the list counts it", "[ads_sim][console]") {
  two_oems_with_jobs f;
  const auto image_id = f.upload_module_image("LE11B01 target");
  const auto preview = f.respond(console_request("POST", "/ota_jobs/preview", &f.a,
                                                 json{{"image_id", image_id}, {"oem_model", "myoemmodel"}}));
  REQUIRE(preview.status == 200);
  REQUIRE(body_of(preview)["devices"].size() == 1);
  CHECK(f.respond(console_request("POST", "/ota_jobs", &f.a, json{{"image_id", image_id}, {"oem_model", "other"}}))
            .status == 422);
  const auto job_id = f.create_job(f.a, image_id, "first rollout");
  auto job = body_of(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(job_id), &f.a)));
  CHECK(job["status"] == "none");
  CHECK(job["module_version"] == "LE11B01 target");
  CHECK(job["started_at"] == "");
  const auto started = f.respond(console_request("POST", "/ota_jobs/" + std::to_string(job_id) + "/start", &f.a));
  REQUIRE(started.status == 200);
  job = body_of(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(job_id), &f.a)));
  CHECK(job["status"] == "running");
  CHECK(job["processing"] == 1);
  CHECK(job["devices"][0]["state"] == "processing");
  CHECK(job["started_at"] != "");
  const auto images = body_of(f.respond(console_request("GET", "/images", &f.maker_session)))["images"];
  CHECK(images[0]["in_use"] == true);
  CHECK(images[0]["description"] == "small package");
}

TEST_CASE("a job made through the admin API shows to the OEM whose devices it targets, and it starts it",
          "[ads_sim][console]") {
  two_oems_with_jobs f;
  const auto image_id = f.upload_module_image("LE11B01 scripted");
  const auto made_for = [&](const json& dsns) {
    const auto created = f.respond(admin_request("POST", "/ota_jobs", json{{"image_id", image_id}, {"dsns", dsns}}));
    REQUIRE(created.status == 201);
    return body_of(created)["job_id"].get<std::int64_t>();
  };
  const auto a_only = made_for(json::array({f.dsn_a}));
  const auto both = made_for(json::array({f.dsn_a, f.dsn_b}));
  const auto listed = body_of(f.respond(console_request("GET", "/ota_jobs", &f.a)))["ota_jobs"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["job_id"] == a_only);
  CHECK(listed[0]["description"] == "made through the admin API");
  CHECK(body_of(f.respond(console_request("GET", "/ota_jobs", &f.b)))["ota_jobs"].empty());
  // A job across OEMs is nobody's in the console: its counters would tell one OEM of the other's devices.
  CHECK(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(both), &f.a)).status == 404);
  CHECK(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(a_only), &f.b)).status == 403);
  const auto started = f.respond(console_request("POST", "/ota_jobs/" + std::to_string(a_only) + "/start", &f.a));
  REQUIRE(started.status == 200);
  CHECK(body_of(started)["status"] == "running");
  const auto job = body_of(f.respond(console_request("GET", "/ota_jobs/" + std::to_string(a_only), &f.a)));
  CHECK(job["started_at"] != "");
  CHECK(job["devices"][0]["dsn"] == f.dsn_a);
}

TEST_CASE("a job's devices are read a page at a time (?page, ?per_page), its counters whole on every page",
          "[ads_sim][console]") {
  two_oems_with_jobs f;
  // Four more of OEM A's devices: five in the job, by DSN.
  REQUIRE(f.core.create_factory_devices(f.oem_a, "myoemmodel", ads_sim::fresh_keys(4), t0));
  const auto job_id = std::to_string(f.create_job(f.a, f.upload_module_image()));
  const auto page = [&](const std::string& query) {
    return f.respond(console_request("GET", "/ota_jobs/" + job_id + query, &f.a));
  };
  const auto dsns_of = [](const json& job) {
    std::vector<std::string> dsns;
    for (const auto& device : job["devices"]) dsns.push_back(device["dsn"]);
    return dsns;
  };
  const json whole = body_of(page(""));
  CHECK(whole["total"] == 5);
  CHECK(whole["page"] == 1);
  CHECK(whole["per_page"] == 100);
  const auto all = dsns_of(whole);
  REQUIRE(all.size() == 5);
  CHECK(std::is_sorted(all.begin(), all.end()));

  const json second = body_of(page("?page=2&per_page=2"));
  CHECK(dsns_of(second) == std::vector<std::string>{all[2], all[3]});
  CHECK(second["total"] == 5);
  CHECK(second["page"] == 2);
  CHECK(dsns_of(body_of(page("?page=3&per_page=2"))) == std::vector<std::string>{all[4]});
  CHECK(body_of(page("?page=4&per_page=2"))["devices"].empty());
  CHECK(body_of(page("?per_page=500"))["devices"].size() == 5);

  for (const char* bad : {"?page=0", "?page=-1", "?page=x", "?per_page=0", "?per_page=501", "?page=1000001"}) {
    INFO(bad);
    const auto refused = page(bad);
    CHECK(refused.status == 400);
    CHECK(body_of(refused)["error"] == "page is a number from 1 to 1000000 and per_page one from 1 to 500");
  }
}

TEST_CASE("to-device properties are set from the console, from-device ones are not", "[ads_sim][console]") {
  two_oems_with_jobs f;
  const auto path = "/devices/" + f.dsn_a + "/properties/";
  CHECK(f.respond(console_request("PUT", path + "Blue_LED", &f.a, json{{"value", 1}, {"base_type", "boolean"}}))
            .status == 200);
  const auto points = body_of(f.respond(console_request("GET", path + "Blue_LED/datapoints", &f.a)))["datapoints"];
  REQUIRE(points.size() == 1);
  CHECK(points[0]["value"] == 1);
  CHECK(f.respond(console_request("PUT", path + "Blue_LED", &f.a, json{{"value", "x"}})).status == 422);
}

TEST_CASE("stored text reaches the page as data: the API escapes it and the pages never parse it as HTML",
          "[ads_sim][console][security]") {
  two_oems_with_jobs f;
  const std::string script = "<img src=x onerror=alert(1)>";
  const auto job_id = f.create_job(f.a, f.upload_module_image(), script);
  const auto job = f.respond(console_request("GET", "/ota_jobs/" + std::to_string(job_id), &f.a));
  CHECK(body_of(job)["description"] == script);
  CHECK(job.header("Content-Type") == "application/json");
  CHECK(job.header("X-Content-Type-Options") == "nosniff");
  // The page script builds every element with textContent; none of the HTML-parsing sinks appear in it.
  const auto app = read_source("ads_sim/console/web/app.js");
  REQUIRE_FALSE(app.empty());
  for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("})
    CHECK(app.find(sink) == std::string::npos);
  // And the policy forbids inline script, should markup ever slip through.
  const auto page = f.respond(make_request("GET", "/console/"));
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Security-Policy")->find("script-src 'self'") != std::string::npos);
}

TEST_CASE("the console's pages and libraries are served from the binary", "[ads_sim][console]") {
  console_fixture f;
  for (const char* asset : {"/console/", "/console/app.js", "/console/bootstrap.min.css", "/console/chart.min.js",
                            "/console/xterm.css", "/console/xterm.js"}) {
    INFO(asset);
    const auto page = f.respond(make_request("GET", asset));
    CHECK(page.status == 200);
    CHECK(page.body.size() > 100);
  }
  // xterm.js is node-xterm's modules bundled for the browser, not libjs-xterm's stub that require()s them.
  const auto xterm = f.respond(make_request("GET", "/console/xterm.js"));
  CHECK(xterm.body.find("window.Terminal = load('public/Terminal').Terminal;") != std::string::npos);
  CHECK(xterm.body.size() > 100000);
  CHECK(*xterm.header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(f.respond(make_request("GET", "/console")).status == 301);
  CHECK(f.respond(make_request("GET", "/console/../admin-token")).status == 404);
  CHECK(f.respond(make_request("GET", "/console/nope.js")).status == 404);
}

TEST_CASE("a device's page shows the registration token it shows while it has no owner", "[ads_sim][console]") {
  two_oems f;
  const auto page = body_of(f.respond(console_request("GET", "/devices/" + f.dsn_a, &f.a)));
  CHECK(page["owner"].is_null());
  const auto admin_view = body_of(f.respond(admin_request("GET", "/devices/" + f.dsn_a + "/registration_token")));
  CHECK(page["regtoken"] == json{{"token", admin_view["regtoken"]}, {"expires_at", admin_view["expires_at"]}});
  // Registered (here through the admin API, by DSN), the device has no token to show.
  const auto app = f.respond(admin_request("POST", "/oems/" + f.oem_a + "/applications", json{{"name", "App"}}));
  const json user{{"email", "ann@example.com"}, {"password", "s3cret-pass"}, {"app_id", body_of(app)["app_id"]}};
  REQUIRE(f.respond(admin_request("POST", "/users", user)).status == 201);
  REQUIRE(f.respond(admin_request("PUT", "/devices/" + f.dsn_a + "/owner", json{{"email", "ann@example.com"}}))
              .status == 200);
  const auto owned = body_of(f.respond(console_request("GET", "/devices/" + f.dsn_a, &f.a)));
  CHECK(owned["owner"] == "ann@example.com");
  CHECK(owned["regtoken"].is_null());
}
