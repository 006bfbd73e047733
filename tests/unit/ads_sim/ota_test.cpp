#include "support.hpp"

using namespace ads_sim_test;

namespace {

const std::string module_version =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-183c9ba.132a03a";

std::string image_bytes() {
  std::string bytes(5000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7 + 3) & 0xff);
  return bytes;
}

struct ota_fixture : core_fixture {
  std::string token = core_fixture::token();
  std::int64_t image_id = 0;

  explicit ota_fixture(const std::string& type = "module") {
    const auto uploaded = respond(admin_request(
        "POST", "/images",
        json{{"type", type}, {"model", "SIMCOM_SIM7600E-L1C"}, {"version", module_version},
             {"data_base64", ads_client::base64_encode(image_bytes())}}));
    REQUIRE(uploaded.status == 201);
    const auto body = body_of(uploaded);
    CHECK(body["size"] == image_bytes().size());
    CHECK(body["sha256"] == ads_client::sha256_hex(image_bytes()));
    image_id = body["image_id"];
  }

  http_response device_request(std::string method, const std::string& tail, const json& body = nullptr,
                               std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto request = with_token(make_request(method, device_path(tail), body.is_null() ? "" : body.dump()), token);
    for (auto& header : headers) request.headers.push_back(std::move(header));
    return respond(request);
  }

  json job(std::int64_t id) { return body_of(respond(admin_request("GET", "/ota_jobs/" + std::to_string(id)))); }

  // Creates and starts a job for the fixture's model; returns its id.
  std::int64_t started_job() {
    const auto created = respond(admin_request("POST", "/ota_jobs", json{{"image_id", image_id}, {"oem_model", model}}));
    REQUIRE(created.status == 201);
    const std::int64_t id = body_of(created)["job_id"];
    auto start = admin_request("POST", "/ota_jobs/" + std::to_string(id) + "/start");
    REQUIRE(respond(start).status == 200);  // an empty body is fine
    return id;
  }

  json offered_command() {
    const auto batch = body_of(device_request("GET", "/commands.json"));
    REQUIRE(batch["commands"]["cmds"].size() == 1);
    json cmd = batch["commands"]["cmds"][0]["cmd"];
    cmd["data"] = json::parse(cmd["data"].get<std::string>());  // JSON text on the wire
    return cmd;
  }

  // ADA's command result: PUT /devices/<key><uri>?cmd_id=<id>&status=<HTTP status>, no body.
  http_response report(const json& cmd, int http_status) {
    const std::string target = device_path(cmd["uri"].get<std::string>()) +
                               "?cmd_id=" + std::to_string(cmd["id"].get<std::int64_t>()) +
                               "&status=" + std::to_string(http_status);
    return respond(with_token(make_request("PUT", target), token));
  }
};

}  // namespace

TEST_CASE("starting an OTA job queues an ota.json command describing the image", "[ads_sim][ota]") {
  ota_fixture f;
  const auto id = f.started_job();
  CHECK(f.core.take_woken_devices() == std::vector<std::int64_t>{f.device.key});
  const auto status = f.job(id);
  CHECK(status["status"] == "running");
  CHECK(status["total"] == 1);
  CHECK(status["processing"] == 1);

  const auto cmd = f.offered_command();
  CHECK(cmd["method"] == "PUT");
  CHECK(cmd["resource"] == "ota.json");
  const auto& ota = cmd["data"]["ota"];
  CHECK(ota["type"] == "module");
  CHECK(ota["ver"] == module_version);
  CHECK(ota["size"] == image_bytes().size());
  CHECK(ota["checksum"] == ads_client::sha256_hex(image_bytes()));
  // Absolute, and `local`: fetched from this service with the device's auth (ADA's client_ota_json_parse).
  CHECK(ota["url"] == "https://ads.test" + f.device_path("/images/" + std::to_string(f.image_id) + ".bin"));
  CHECK(ota["source"] == "local");
  CHECK(f.respond(admin_request("POST", "/ota_jobs/" + std::to_string(id) + "/start")).status == 409);
}

TEST_CASE("the image downloads whole or by byte ranges", "[ads_sim][ota]") {
  ota_fixture f;
  const std::string tail = "/images/" + std::to_string(f.image_id) + ".bin";
  const auto whole = f.device_request("GET", tail);
  CHECK(whole.status == 200);
  CHECK(whole.body == image_bytes());
  CHECK(whole.header("Content-Type") == "application/octet-stream");

  // Reassembled from ranges of every awkward size, the image is exact.
  for (const std::size_t piece : {1u, 48u, 1000u, 4999u, 5000u}) {
    std::string assembled;
    while (assembled.size() < image_bytes().size()) {
      const auto first = assembled.size();
      const auto last = std::min(first + piece, image_bytes().size()) - 1;
      const auto part = f.device_request("GET", tail, nullptr,
                                         {{"Range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)}});
      REQUIRE(part.status == 206);
      CHECK(part.header("Content-Range") == "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/5000");
      assembled += part.body;
    }
    CHECK(assembled == image_bytes());
  }
  const auto open_ended = f.device_request("GET", tail, nullptr, {{"Range", "bytes=4990-"}});
  CHECK(open_ended.status == 206);
  CHECK(open_ended.body == image_bytes().substr(4990));
  const auto clipped = f.device_request("GET", tail, nullptr, {{"Range", "bytes=4990-9999"}});
  CHECK(clipped.body.size() == 10);
  for (const std::string bad : {"bytes=5000-5001", "bytes=9-3", "items=0-1", "bytes=x-1", "bytes=0-1,3-4"}) {
    const auto refused = f.device_request("GET", tail, nullptr, {{"Range", bad}});
    CHECK(refused.status == 416);
    CHECK(refused.header("Content-Range") == "bytes */5000");
  }
  CHECK(f.device_request("GET", "/images/999.bin").status == 404);
  // Images need device authentication like everything else.
  CHECK(f.respond(make_request("GET", f.device_path(tail))).status == 401);
}

TEST_CASE("a module image's 200 (sent before apply) waits for the new version, a host image's completes the job",
          "[ads_sim][ota]") {
  SECTION("module: downloaded, then the device registers with the image's version") {
    ota_fixture f;
    const auto id = f.started_job();
    const auto cmd = f.offered_command();
    CHECK(f.report(cmd, 200).status == 204);
    CHECK(f.job(id)["processing"] == 1);
    CHECK(f.job(id)["status"] == "running");
    REQUIRE(f.device_request("PUT", ".json", json{{"device", {{"sw_version", "some other"}}}}).status == 204);
    CHECK(f.job(id)["processing"] == 1);
    REQUIRE(f.device_request("PUT", ".json", json{{"device", {{"sw_version", module_version}}}}).status == 204);
    const auto status = f.job(id);
    CHECK(status["status"] == "completed");
    CHECK(status["succeeded"] == 1);
    CHECK(status["processing"] == 0);
  }
  SECTION("module: downloaded, then the new firmware did not come up") {
    ota_fixture f;
    const auto id = f.started_job();
    CHECK(f.report(f.offered_command(), 200).status == 204);
    CHECK(f.device_request("PUT", "/ota_failed.json", json{{"ota-status", {{"status", 1}, {"type", "module"}}}})
              .status == 204);
    CHECK(f.job(id)["failed"] == 1);
    CHECK(f.job(id)["status"] == "completed");
  }
  SECTION("host: the host's result is the outcome") {
    ota_fixture f("host");
    const auto id = f.started_job();
    CHECK(f.report(f.offered_command(), 200).status == 204);
    CHECK(f.job(id)["succeeded"] == 1);
    CHECK(f.job(id)["status"] == "completed");
  }
}

TEST_CASE("a failed result or ota_failed report fails the device's part", "[ads_sim][ota]") {
  SECTION("command status non-zero") {
    ota_fixture f;
    const auto id = f.started_job();
    const auto cmd = f.offered_command();
    CHECK(f.report(cmd, 500).status == 204);
    CHECK(f.job(id)["failed"] == 1);
    CHECK(f.job(id)["status"] == "completed");
  }
  SECTION("ota_failed.json") {
    ota_fixture f("host");
    const auto id = f.started_job();
    CHECK(f.offered_command()["data"]["ota"]["type"] == "host_mcu");
    // A module failure does not touch a host job.
    CHECK(f.device_request("PUT", "/ota_failed.json", json{{"ota-status", {{"status", 2}, {"type", "module"}}}})
              .status == 204);
    CHECK(f.job(id)["processing"] == 1);
    CHECK(f.device_request("PUT", "/ota_failed.json", json{{"ota-status", {{"status", 2}, {"type", "host_mcu"}}}})
              .status == 204);
    CHECK(f.job(id)["failed"] == 1);
    CHECK(f.device_request("PUT", "/ota_failed.json", json{{"ota-status", {{"type", "host_mcu"}}}}).status == 400);
  }
}

TEST_CASE("a module already at the image's version fails at once", "[ads_sim][ota]") {
  ota_fixture f;
  REQUIRE(f.device_request("PUT", ".json", json{{"device", {{"sw_version", module_version}}}}).status == 204);
  const auto id = f.started_job();
  const auto status = f.job(id);
  CHECK(status["failed"] == 1);
  CHECK(status["status"] == "completed");
  CHECK(body_of(f.device_request("GET", "/commands.json"))["commands"]["cmds"].empty());
}

TEST_CASE("OTA jobs validate their image and targets", "[ads_sim][ota]") {
  ota_fixture f;
  auto post = [&](const json& body) { return f.respond(admin_request("POST", "/ota_jobs", body)).status; };
  CHECK(post(json{{"image_id", 999}, {"oem_model", f.model}}) == 404);
  CHECK(post(json{{"image_id", f.image_id}}) == 400);
  CHECK(post(json{{"image_id", f.image_id}, {"dsns", json::array({"AC000W999999999"})}}) == 404);
  CHECK(post(json{{"image_id", f.image_id}, {"dsns", json::array({f.device.dsn})}}) == 201);
  CHECK(post(json{{"image_id", f.image_id}, {"dsns", "x"}}) == 400);
  CHECK(post(json{{"image_id", "1"}, {"oem_model", f.model}}) == 400);
  const auto empty = f.respond(admin_request("POST", "/ota_jobs", json{{"image_id", f.image_id}, {"oem_model", "none"}}));
  CHECK(body_of(empty)["total"] == 0);
  CHECK(f.respond(admin_request("GET", "/ota_jobs/77")).status == 404);
  CHECK(body_of(f.respond(admin_request("GET", "/ota_jobs")))["ota_jobs"].size() == 2);
  CHECK(body_of(f.respond(admin_request("GET", "/images")))["images"][0]["version"] == module_version);
  auto image = [&](json body) { return f.respond(admin_request("POST", "/images", body)).status; };
  const json good{{"type", "module"}, {"model", "M"}, {"version", "v1"}, {"data_base64", "AAAA"}};
  CHECK(image(good) == 201);
  for (const auto& [field, value] : {std::pair<const char*, json>{"type", "firmware"}, {"model", "a b"},
                                     {"version", ""}, {"data_base64", "***"}, {"data_base64", ""}}) {
    json bad = good;
    bad[field] = value;
    INFO(field);
    CHECK(image(bad) == 400);
  }
}

TEST_CASE("injected faults: a corrupted image download and a download cut once", "[ads_sim][ota][faults]") {
  ota_fixture f;
  f.started_job();
  const std::string path = "/images/" + std::to_string(f.image_id) + ".bin";
  CHECK(f.respond(admin_request("POST", "/faults", json{{"corrupt_image", 9999}})).status == 400);
  CHECK(f.respond(admin_request("POST", "/faults", json{{"nonsense", 1}})).status == 400);

  REQUIRE(f.respond(admin_request("POST", "/faults", json{{"corrupt_image", f.image_id}})).status == 200);
  const auto corrupted = f.device_request("GET", path);
  REQUIRE(corrupted.status == 200);
  CHECK(corrupted.body.size() == image_bytes().size());
  CHECK(corrupted.body != image_bytes());
  CHECK(ads_client::sha256_hex(corrupted.body) != ads_client::sha256_hex(image_bytes()));
  const auto before_middle = f.device_request("GET", path, nullptr, {{"Range", "bytes=0-99"}});
  CHECK(before_middle.body == image_bytes().substr(0, 100));  // only the byte in the middle is hit

  REQUIRE(f.respond(admin_request("DELETE", "/faults")).status == 200);
  CHECK(f.device_request("GET", path).body == image_bytes());

  REQUIRE(f.respond(admin_request("POST", "/faults", json{{"cut_download", {{"image_id", f.image_id}, {"at", 3000}}}}))
              .status == 200);
  auto request = f.with_token(make_request("GET", f.device_path(path), ""), f.token);
  request.headers.emplace_back("Range", "bytes=0-1023");
  CHECK(std::holds_alternative<ads_sim::http_response>(f.core.handle(request, std::chrono::system_clock::now())));
  request.headers.back().second = "bytes=2048-4095";
  CHECK(std::holds_alternative<ads_sim::drop_connection>(f.core.handle(request, std::chrono::system_clock::now())));
  CHECK(f.respond(admin_request("GET", "/faults")).body.find("null") != std::string::npos);  // used up
  const auto retried = f.device_request("GET", path, nullptr, {{"Range", "bytes=2048-4095"}});
  CHECK(retried.status == 206);
  CHECK(retried.body == image_bytes().substr(2048, 2048));
}

TEST_CASE("an offer whose answer may have been lost is delivered again on another connection, until its result",
          "[ads_sim][ota]") {
  ota_fixture f;
  const auto job = f.started_job();
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(1), "boolean", t0));
  const auto commands_on = [&](std::uint64_t connection) {
    return body_of(f.respond(f.with_token(make_request("GET", f.device_path("/commands.json"), "", connection),
                                          f.token)))["commands"];
  };
  const auto first = commands_on(1);
  REQUIRE(first["cmds"].size() == 1);
  CHECK(first["properties"].size() == 1);
  // Asked again on the same connection: that answer arrived (the connection still stands), nothing again.
  CHECK(commands_on(1)["cmds"].empty());
  // On another connection: connection 1 broke, maybe with the answer on it; the offer comes again, the property
  // (delivered and done) does not.
  const auto again = commands_on(2);
  REQUIRE(again["cmds"].size() == 1);
  CHECK(again["cmds"] == first["cmds"]);
  CHECK(again["properties"].empty());
  CHECK(commands_on(2)["cmds"].empty());
  // cmds.json follows the same rule.
  const auto via_cmds = body_of(f.respond(
      f.with_token(make_request("GET", f.device_path("/cmds.json"), "", 3), f.token)))["cmds"];
  CHECK(via_cmds == first["cmds"]);
  CHECK(f.job(job)["status"] == "running");

  // Its result came: never again, on any connection.
  json cmd = first["cmds"][0]["cmd"];
  REQUIRE(f.report(cmd, 200).status == 204);
  CHECK(commands_on(4)["cmds"].empty());
  CHECK(commands_on(1)["cmds"].empty());
}

TEST_CASE("injected fault: answers carrying a command are lost in flight, answers without one are not",
          "[ads_sim][ota][faults]") {
  ota_fixture f;
  CHECK(f.respond(admin_request("POST", "/faults", json{{"lose_command_answers", 0}})).status == 400);
  CHECK(f.respond(admin_request("POST", "/faults", json{{"lose_command_answers", "2"}})).status == 400);
  REQUIRE(f.respond(admin_request("POST", "/faults", json{{"lose_command_answers", 2}})).status == 200);
  const auto ask = [&](std::uint64_t connection) {
    return f.core.handle(f.with_token(make_request("GET", f.device_path("/commands.json"), "", connection), f.token),
                         std::chrono::system_clock::now());
  };
  CHECK(std::holds_alternative<ads_sim::http_response>(ask(1)));  // nothing queued: answered, nothing lost
  f.started_job();
  CHECK(std::holds_alternative<ads_sim::drop_connection>(ask(2)));  // the offer: counted delivered, lost
  CHECK(std::holds_alternative<ads_sim::drop_connection>(ask(3)));  // again on a new connection, lost again
  CHECK(body_of(f.respond(admin_request("GET", "/faults")))["lose_command_answers"] == 0);
  const auto third = ask(4);
  REQUIRE(std::holds_alternative<ads_sim::http_response>(third));
  CHECK(body_of(std::get<ads_sim::http_response>(third))["commands"]["cmds"].size() == 1);
}
