// ads-admin's verbs run in-process against a real ads-sim (HTTPS on an ephemeral loopback port, its own CA), as a
// CI script would run the program: arguments in, JSON on stdout, reasons on stderr, an exit code.
#include <utility>  // before Asio: Debian's Boost 1.74 needs std::exchange declared

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <fstream>
#include <sstream>
#include <thread>

#include "ads_client/device_auth.hpp"
#include "ads_client/https_client.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_admin/admin_session.hpp"
#include "ads_admin/run.hpp"
#include "tests/unit/ads_sim/running_service.hpp"
#include "tests/unit/ads_sim/support.hpp"
#include "ads_sim/server.hpp"
#include "ads_sim/tls_material.hpp"

using nlohmann::json;

namespace {

using ads_sim_test::temp_dir;  // the ads-sim tests' scratch directory, removed at the end

void write_file(const std::filesystem::path& file, std::string_view content) {
  std::ofstream out(file, std::ios::binary);
  out << content;
  REQUIRE(out.good());
}

using ads_sim_test::running_service;

// ads-admin's connection flags for `s`.
std::vector<std::string> connection_flags(const running_service& s) {
  return {"--url", s.service->url(), "--ca", s.service->ca_path().string(), "--token", s.service->admin_token()};
}

struct cli_result {
  int exit_code;
  std::string out, err;
  json answer() const {
    INFO(out << err);
    return json::parse(out);
  }
};

cli_result run_cli(std::vector<std::string> args, const char* xdg_state_home = nullptr) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out, err;
  const int code = ads_admin::run_admin(views, xdg_state_home, nullptr, out, err);
  return {code, out.str(), err.str()};
}

// Runs a verb against the service with explicit connection flags.
cli_result admin(const running_service& s, std::vector<std::string> verb_args) {
  auto args = connection_flags(s);
  args.insert(args.end(), verb_args.begin(), verb_args.end());
  return run_cli(std::move(args));
}

// A verb that must succeed: its JSON answer.
json admin_ok(const running_service& s, std::vector<std::string> verb_args) {
  const auto result = admin(s, verb_args);
  INFO(verb_args.front() << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  return result.answer();
}

// The module's side of the device protocol, just enough to play a device: client-auth on each request.
struct test_device {
  const running_service& s;
  std::string dsn;
  std::int64_t key;
  std::string public_key;

  ads_client::http_response call(const std::string& method, const std::string& path, const json& body = nullptr) {
    ads_client::device_auth auth;
    auth.set_key(ads_client::rsa_key::public_from_base64_body(public_key));
    ads_client::http_request request{method, path, {}, body.is_null() ? std::string() : body.dump()};
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    REQUIRE(auth.sign(request, now.count()));
    boost::asio::io_context io;
    auto client = ads_client::https_client::create(
        io.get_executor(), {s.service->host(), std::to_string(s.service->port()), "localhost",
                            s.service->ca_path().string()});
    std::optional<ads_client::http_outcome> outcome;
    client->request(request, std::chrono::seconds(30), [&](ads_client::http_outcome o) { outcome = std::move(o); });
    io.run();
    client->close();
    REQUIRE(outcome);
    const auto* response = std::get_if<ads_client::http_response>(&*outcome);
    REQUIRE(response);
    return *response;
  }
};

// A fresh OEM with `count` factory devices of model "ledevb", known to the test as devices.
std::vector<test_device> make_devices(const running_service& s, const std::string& oem_id, int count) {
  admin_ok(s, {"create-oem", "Acme Lights", "ops@acme.example", "--id", oem_id});
  const json created = admin_ok(s, {"create-devices", oem_id, "ledevb", std::to_string(count)});
  std::vector<test_device> devices;
  for (const auto& device : created["devices"]) {
    const std::string dsn = device["dsn"];
    const json shown = admin_ok(s, {"device", dsn});
    devices.push_back({s, dsn, shown["key"].get<std::int64_t>(), device["public_key"]});
  }
  REQUIRE(devices.size() == static_cast<std::size_t>(count));
  return devices;
}

}  // namespace

TEST_CASE("ads-admin creates OEMs and devices and lists them", "[ads_admin][service]") {
  running_service s;
  const json oem = admin_ok(s, {"create-oem", "Acme Lights", "ops@acme.example", "--id", "0a1b2c3d"});
  CHECK(oem["oem_id"] == "0a1b2c3d");
  CHECK(oem["name"] == "Acme Lights");
  CHECK(oem["oem_secret"].is_string());
  const json generated = admin_ok(s, {"create-oem", "Other", "x@y.example"});
  CHECK(generated["oem_id"].get<std::string>().size() == 8);

  const json oems = admin_ok(s, {"oems"});
  REQUIRE(oems["oems"].size() == 2);
  CHECK(oems["oems"][0]["oem_id"] == "0a1b2c3d");

  const json created = admin_ok(s, {"create-devices", "0a1b2c3d", "ledevb", "2"});
  REQUIRE(created["devices"].size() == 2);
  const std::string dsn = created["devices"][0]["dsn"];
  CHECK(dsn.substr(0, 6) == "AC000W");

  const json devices = admin_ok(s, {"devices"});
  CHECK(devices["devices"].size() == 2);
  const json device = admin_ok(s, {"device", dsn});
  CHECK(device["dsn"] == dsn);
  CHECK(device["oem_id"] == "0a1b2c3d");
  CHECK(device["model"] == "ledevb");
  CHECK(device["connected"] == false);

  SECTION("the answer is pretty JSON, one field a line") {
    const auto result = admin(s, {"device", dsn});
    CHECK(result.out.find("{\n  \"") == 0);
    CHECK(result.out.back() == '\n');
  }
  SECTION("an OEM's provisioning key is uploaded from a PEM file") {
    temp_dir dir;
    const auto pem_file = dir.path() / "oem.pub.pem";
    write_file(pem_file, ads_client::rsa_key::generate(2048).public_pem());
    const json key = admin_ok(s, {"upload-provision-key", "0a1b2c3d", pem_file.string()});
    CHECK(key["oem_id"] == "0a1b2c3d");
    CHECK(key["key_id"].get<std::string>().size() == 16);
  }
}

TEST_CASE("ads-admin sets a to-device property and reads what the device sent", "[ads_admin][service]") {
  running_service s;
  auto device = make_devices(s, "0a1b2c3d", 1).front();

  const json set = admin_ok(s, {"set-property", device.dsn, "Blue_LED", "b", "1"});
  CHECK(set["name"] == "Blue_LED");
  CHECK(set["base_type"] == "boolean");
  CHECK(set["direction"] == "input");
  CHECK(set["value"] == 1);

  // The device gets the value queued for it.
  const auto commands = device.call("GET", "/devices/" + std::to_string(device.key) + "/commands.json");
  REQUIRE(commands.status == 200);
  const json queued = json::parse(commands.body)["commands"]["properties"];
  REQUIRE(queued.size() == 1);
  CHECK(queued[0]["property"]["name"] == "Blue_LED");
  CHECK(queued[0]["property"]["value"] == 1);

  admin_ok(s, {"set-property", device.dsn, "Blue_LED", "boolean", "0"});
  const json got = admin_ok(s, {"get-property", device.dsn, "Blue_LED"});
  CHECK(got["value"] == 0);

  const json history = admin_ok(s, {"datapoints", device.dsn, "Blue_LED"});
  REQUIRE(history["datapoints"].size() == 2);
  CHECK(history["datapoints"][0]["value"] == 1);
  CHECK(history["datapoints"][1]["value"] == 0);

  SECTION("each TYPE reaches the service as its JSON type") {
    CHECK(admin_ok(s, {"set-property", device.dsn, "level", "i", "-7"})["value"] == -7);
    CHECK(admin_ok(s, {"set-property", device.dsn, "ratio", "d", "0.25"})["value"] == 0.25);
    CHECK(admin_ok(s, {"set-property", device.dsn, "label", "s", "hello world"})["value"] == "hello world");
    CHECK(admin_ok(s, {"get-property", device.dsn, "ratio"})["base_type"] == "decimal");
  }
  SECTION("a from-device datapoint the module posted is read back") {
    const auto posted = device.call("POST", "/devices/" + std::to_string(device.key) +
                                                "/properties/temperature/datapoints.json",
                                    json{{"datapoint", {{"base_type", "decimal"}, {"value", 21.5}}}});
    REQUIRE(posted.status == 201);
    const json property = admin_ok(s, {"get-property", device.dsn, "temperature"});
    CHECK(property["direction"] == "output");
    CHECK(property["value"] == 21.5);
    const json properties = admin_ok(s, {"properties", device.dsn});
    CHECK(properties["properties"].size() == 2);
    const json points = admin_ok(s, {"datapoints", device.dsn, "temperature"});
    REQUIRE(points["datapoints"].size() == 1);
    CHECK(points["datapoints"][0]["value"] == 21.5);
  }
  SECTION("the service's refusal: exit 1, its error on stderr, nothing on stdout") {
    const auto mismatch = admin(s, {"set-property", device.dsn, "Blue_LED", "i", "5"});
    CHECK(mismatch.exit_code == 1);
    CHECK(mismatch.out.empty());
    CHECK(mismatch.err.find("ads-admin: HTTP 422: ") == 0);

    const auto unknown = admin(s, {"get-property", device.dsn, "nothing"});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.out.empty());
    CHECK(unknown.err.find("ads-admin: HTTP 404: ") == 0);

    const auto no_device = admin(s, {"device", "AC000W999999999"});
    CHECK(no_device.exit_code == 1);
    CHECK(no_device.err.find("ads-admin: HTTP 404: ") == 0);
  }
}

TEST_CASE("ads-admin uploads an image and runs an OTA job to its end", "[ads_admin][service][ota]") {
  running_service s;
  auto devices = make_devices(s, "0a1b2c3d", 2);
  temp_dir dir;
  const std::string firmware(5000, '\x5a');
  write_file(dir.path() / "fw.bin", firmware);

  const json image = admin_ok(s, {"upload-image", "module", "SIMCOM_SIM7600E-L1C", "LE20B04SIM7600M22 V2",
                                  (dir.path() / "fw.bin").string()});
  CHECK(image["size"] == 5000);
  CHECK(image["sha256"] == ads_client::sha256_hex(firmware));
  const std::string image_id = std::to_string(image["image_id"].get<std::int64_t>());
  const json images = admin_ok(s, {"images"});
  REQUIRE(images["images"].size() == 1);
  CHECK(images["images"][0]["version"] == "LE20B04SIM7600M22 V2");
  CHECK(images["images"][0]["type"] == "module");

  // The device reports the outcome of the offer it was sent.
  auto report = [](test_device& device, int status) {
    const std::string base = "/devices/" + std::to_string(device.key);
    const auto commands = device.call("GET", base + "/commands.json");
    REQUIRE(commands.status == 200);
    const json cmds = json::parse(commands.body)["commands"]["cmds"];
    REQUIRE(cmds.size() == 1);
    CHECK(json::parse(cmds[0]["cmd"]["data"].get<std::string>())["ota"]["ver"] == "LE20B04SIM7600M22 V2");
    const std::string id = std::to_string(cmds[0]["cmd"]["id"].get<int>());
    const auto reported = device.call("PUT", base + cmds[0]["cmd"]["uri"].get<std::string>() + "?cmd_id=" + id +
                                                 "&status=" + (status == 0 ? "200" : "500"));
    REQUIRE(reported.status == 204);
    // A module image succeeds once the device, rebooted into it, registers with its version.
    if (status == 0) {
      REQUIRE(device.call("PUT", base + ".json", json{{"device", {{"sw_version", "LE20B04SIM7600M22 V2"}}}}).status == 204);
    }
  };

  SECTION("for a model: every device succeeds, wait-job exits 0") {
    const json job = admin_ok(s, {"create-job", image_id, "--model", "ledevb"});
    CHECK(job["status"] == "none");
    CHECK(job["total"] == 2);
    const std::string job_id = std::to_string(job["job_id"].get<std::int64_t>());

    const json started = admin_ok(s, {"start-job", job_id});
    CHECK(started["status"] == "running");
    CHECK(started["processing"] == 2);
    const auto again = admin(s, {"start-job", job_id});
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("ads-admin: HTTP 409: ") == 0);

    // Still running: wait-job gives up at its timeout with exit 1 and shows where the job stands.
    const auto unfinished = admin(s, {"wait-job", job_id, "--timeout", "0"});
    CHECK(unfinished.exit_code == 1);
    CHECK(unfinished.answer()["status"] == "running");
    CHECK(unfinished.err == "ads-admin: job " + job_id + " is still running after 0 s\n");

    report(devices[0], 0);
    CHECK(admin_ok(s, {"job", job_id})["succeeded"] == 1);
    report(devices[1], 0);

    const auto finished = admin(s, {"wait-job", job_id});
    CHECK(finished.exit_code == 0);
    CHECK(finished.err.empty());
    const json done = finished.answer();
    CHECK(done["status"] == "completed");
    CHECK(done["succeeded"] == 2);
    CHECK(done["failed"] == 0);
    CHECK(admin_ok(s, {"jobs"})["ota_jobs"].size() == 1);
  }
  SECTION("wait-job keeps polling while the job runs and ends when the last device reports") {
    const json job = admin_ok(s, {"create-job", image_id, "--dsn", devices[0].dsn});
    const std::string job_id = std::to_string(job["job_id"].get<std::int64_t>());
    admin_ok(s, {"start-job", job_id});
    std::optional<cli_result> waited;
    std::thread waiter([&] { waited = admin(s, {"wait-job", job_id, "--timeout", "120"}); });
    // Two answered polls: wait-job saw the job running and asked again.
    const bool polled = s.wait_for_requests("GET /api/v1/ota_jobs/" + job_id + " 200", 2);
    report(devices[0], 0);
    waiter.join();
    REQUIRE(polled);
    REQUIRE(waited);
    CHECK(waited->exit_code == 0);
    CHECK(waited->answer()["status"] == "completed");
    CHECK(waited->answer()["succeeded"] == 1);
  }
  SECTION("for listed DSNs: a failed device makes wait-job exit 1") {
    const json job = admin_ok(s, {"create-job", image_id, "--dsn", devices[1].dsn});
    CHECK(job["total"] == 1);
    const std::string job_id = std::to_string(job["job_id"].get<std::int64_t>());
    admin_ok(s, {"start-job", job_id});
    report(devices[1], 3);

    const auto finished = admin(s, {"wait-job", job_id, "--timeout", "60"});
    CHECK(finished.exit_code == 1);
    CHECK(finished.answer()["failed"] == 1);
    CHECK(finished.err == "ads-admin: job " + job_id + " completed with 1 failed of 1\n");
  }
  SECTION("unknown image, DSN and job are the service's 404") {
    CHECK(admin(s, {"create-job", "99", "--model", "ledevb"}).err.find("HTTP 404") != std::string::npos);
    CHECK(admin(s, {"create-job", image_id, "--dsn", "AC000W999999999"}).exit_code == 1);
    CHECK(admin(s, {"job", "99"}).exit_code == 1);
    CHECK(admin(s, {"wait-job", "99"}).err.find("HTTP 404") != std::string::npos);
  }
  SECTION("an empty image file is refused by the service, a missing one by ads-admin") {
    write_file(dir.path() / "empty.bin", "");
    const auto empty = admin(s, {"upload-image", "host", "mcu", "1", (dir.path() / "empty.bin").string()});
    CHECK(empty.exit_code == 1);
    CHECK(empty.err.find("HTTP 400") != std::string::npos);
    const auto missing = admin(s, {"upload-image", "host", "mcu", "1", (dir.path() / "nope.bin").string()});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err == "ads-admin: cannot read " + (dir.path() / "nope.bin").string() + "\n");
  }
}

TEST_CASE("ads-admin finds the service through its directory, the emulator's state dir or flags",
          "[ads_admin][service][connection]") {
  running_service s;
  // What the emulator leaves in <state-dir>/ads-sim: the embedded service's data dir plus its url.
  const auto service_dir = s.folder() / "ads-sim";
  write_file(service_dir / "url", s.service->url() + "\n");

  CHECK(run_cli({"--service-dir", service_dir.string(), "oems"}).exit_code == 0);
  CHECK(run_cli({"oems", "--state-dir", s.folder().string()}).answer() == json{{"oems", json::array()}});
  // No flags: the emulator's default state dir, $XDG_STATE_HOME/sim7600-emu.
  temp_dir xdg;
  std::filesystem::create_symlink(s.folder(), xdg.path() / "sim7600-emu");
  CHECK(run_cli({"oems"}, xdg.path().c_str()).exit_code == 0);

  temp_dir files;
  write_file(files.path() / "token", s.service->admin_token() + "\n");
  CHECK(run_cli({"--url", s.service->url(), "--ca", s.service->ca_path().string(), "--token-file",
                 (files.path() / "token").string(), "oems"})
            .exit_code == 0);

  SECTION("a wrong token is the service's 401") {
    const auto refused = run_cli({"--url", s.service->url(), "--ca", s.service->ca_path().string(), "--token",
                                  "not-the-token", "oems"});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("ads-admin: HTTP 401: ") == 0);
    CHECK(refused.err.find("not-the-token") == std::string::npos);
  }
  SECTION("a service signed by another CA is not trusted") {
    running_service other;
    const auto untrusted = run_cli({"--url", s.service->url(), "--ca", other.service->ca_path().string(), "--token",
                                    s.service->admin_token(), "oems"});
    CHECK(untrusted.exit_code == 1);
    CHECK(untrusted.out.empty());
    CHECK(untrusted.err.find("ads-admin: handshake: ") == 0);
  }
  SECTION("a service that is gone is a transport error") {
    const std::string url = s.service->url();
    s.service->stop();
    // stop() closes the acceptor on the service's thread; a marker posted after it runs once it is closed.
    std::promise<void> closed;
    boost::asio::post(s.io(), [&closed] { closed.set_value(); });
    REQUIRE(closed.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    const auto gone = run_cli({"--url", url, "--ca", s.service->ca_path().string(), "--token", "t", "oems"});
    CHECK(gone.exit_code == 1);
    CHECK(gone.err.find("ads-admin: connect: ") == 0);
  }
  SECTION("missing files name themselves; the token is never shown") {
    const auto no_dir = run_cli({"--service-dir", (files.path() / "nowhere").string(), "oems"});
    CHECK(no_dir.exit_code == 1);
    CHECK(no_dir.err.find("cannot read the service's url file " + (files.path() / "nowhere" / "url").string()) !=
          std::string::npos);
    const auto no_ca = run_cli({"--url", s.service->url(), "--ca", (files.path() / "ca.pem").string(), "--token",
                                "secret-token", "oems"});
    CHECK(no_ca.err == "ads-admin: cannot read the CA file " + (files.path() / "ca.pem").string() + "\n");
    write_file(files.path() / "url", "ftp://nowhere\n");
    const auto bad_url = run_cli({"--service-dir", files.path().string(), "oems"});
    CHECK(bad_url.err == "ads-admin: " + (files.path() / "url").string() + " does not hold an https://HOST:PORT URL\n");
  }
  SECTION("bad usage exits 2 before any connection; --help exits 0 with the usage on stdout") {
    const auto bad = run_cli({"--service-dir", service_dir.string(), "create-devices", "x", "m", "many"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "ads-admin: COUNT must be a positive integer, got 'many'\n");
    const auto help = run_cli({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out == ads_admin::usage_text());
  }
}

TEST_CASE("a service that never answers is a clear timeout and not a crash", "[ads_admin][timeout]") {
  // A listener that accepts and then says nothing: no TLS handshake, no answer.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  temp_dir dir;
  ads_sim::tls_files files;
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files));  // a real CA: the wait is the only fault
  const auto url = ads_admin::parse_https_url("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
  REQUIRE(url);
  ads_admin::admin_session session({*url, files.ca_cert, "token"});
  const auto reply = session.call("GET", "/oems", std::nullopt, std::chrono::milliseconds(300));
  CHECK_FALSE(reply.ok());
  CHECK(reply.status == 0);
  CHECK(reply.failure_reason().find("timed out") != std::string::npos);
}

TEST_CASE("ads-admin makes an application, an end user, and registers a device to the user", "[ads_admin][service]") {
  running_service s;
  const auto devices = make_devices(s, "0a1b2c3d", 1);
  const json app = admin_ok(s, {"create-app", "0a1b2c3d", "Acme Home"});
  CHECK(app["oem_id"] == "0a1b2c3d");
  CHECK(app["name"] == "Acme Home");
  CHECK(app["app_secret"].get<std::string>().size() == 32);
  const std::string app_id = app["app_id"];
  CHECK(admin(s, {"create-app", "nosuchoem", "X"}).err.find("HTTP 404") != std::string::npos);

  const json user = admin_ok(s, {"create-user", "ann@example.com", "s3cret-pass", "--app", app_id});
  CHECK(user["email"] == "ann@example.com");
  CHECK(user["oem_id"] == "0a1b2c3d");
  CHECK(user["app_id"] == app_id);
  CHECK(user.dump().find("s3cret-pass") == std::string::npos);  // the password is never echoed
  CHECK(admin(s, {"create-user", "ann@example.com", "s3cret-pass", "--app", app_id}).err.find("HTTP 409") !=
        std::string::npos);
  CHECK(admin(s, {"create-user", "bob@example.com", "short", "--app", app_id}).err.find("HTTP 400") !=
        std::string::npos);

  // The token the device shows until it has an owner, for a person to type into an app.
  const json shown = admin_ok(s, {"registration-token", devices[0].dsn});
  CHECK(shown["dsn"] == devices[0].dsn);
  CHECK(shown["regtoken"].get<std::string>().size() == 6);
  CHECK(shown["expires_at"].is_string());
  CHECK(admin_ok(s, {"registration-token", devices[0].dsn})["regtoken"] == shown["regtoken"]);
  CHECK(admin(s, {"registration-token", "AC000W999999999"}).err.find("HTTP 404") != std::string::npos);

  const json owner = admin_ok(s, {"register-device", devices[0].dsn, "ann@example.com"});
  CHECK(admin(s, {"registration-token", devices[0].dsn}).err.find("HTTP 409") != std::string::npos);
  CHECK(owner["dsn"] == devices[0].dsn);
  CHECK(owner["owner"]["email"] == "ann@example.com");
  CHECK(admin(s, {"register-device", devices[0].dsn, "ann@example.com"}).err.find("HTTP 409") != std::string::npos);
  CHECK(admin(s, {"register-device", devices[0].dsn, "nobody@example.com"}).err.find("HTTP 404") !=
        std::string::npos);

  const json minted = admin_ok(s, {"idp-token", "ann@example.com", "--app", app_id});
  CHECK(minted["token_type"] == "Bearer");
  CHECK(minted["expires_in"] == 600);
  const std::string id_token = minted["id_token"];
  CHECK(std::count(id_token.begin(), id_token.end(), '.') == 2);  // a JWT, as an identity provider's id_token
  CHECK(admin(s, {"idp-token", "nobody@example.com", "--app", app_id}).err.find("HTTP 404") != std::string::npos);
  CHECK(admin(s, {"idp-token", "ann@example.com", "--app", "app-none"}).err.find("HTTP 404") != std::string::npos);
}
