#include "support.hpp"
#include "ads_sim/ans_core.hpp"

using namespace ads_sim_test;
using namespace std::chrono_literals;

namespace {

json oem_info_body(core_fixture& f, const std::string& secret, const std::string& model) {
  return json{{"oem", f.oem_id},
              {"oem_model", model},
              {"oem_key", oem_key(f.device.public_key, ads_sim::unix_seconds(t0), secret, f.oem_id, model)},
              {"template_version", "1.0-pwb"}};
}

json admin_device(core_fixture& f) { return body_of(f.respond(admin_request("GET", "/devices/" + f.device.dsn))); }

}  // namespace

TEST_CASE("oem_info with the right secret updates the device", "[ads_sim][device]") {
  core_fixture f;
  const auto response = f.device_call("PUT", f.device_path("/oem_info.json"), oem_info_body(f, f.secret, f.model));
  // Ayla answers with the product name and registration type (devd's ds_client.c reads both).
  CHECK(response.status == 200);
  CHECK(body_of(response) == json{{"product_name", f.device.dsn}, {"registration_type", "Dsn"}});
  CHECK(admin_device(f)["template_version"] == "1.0-pwb");
}

TEST_CASE("oem_info with a wrong secret, OEM or model is refused", "[ads_sim][device]") {
  core_fixture f;
  CHECK(f.device_call("PUT", f.device_path("/oem_info.json"), oem_info_body(f, "wrong-secret", f.model)).status ==
        403);
  // oem_key says one model, the body another.
  auto mismatched = oem_info_body(f, f.secret, f.model);
  mismatched["oem_model"] = "othermodel";
  CHECK(f.device_call("PUT", f.device_path("/oem_info.json"), mismatched).status == 403);
  // Another OEM's own correct secret does not fit this device.
  const auto other = f.core.create_oem("aa00bb11", "Other", "o@example.com", t0);
  REQUIRE(other);
  json foreign{{"oem", "aa00bb11"},
               {"oem_model", f.model},
               {"oem_key", oem_key(f.device.public_key, 1, other->secret, "aa00bb11", f.model)}};
  CHECK(f.device_call("PUT", f.device_path("/oem_info.json"), foreign).status == 403);
  // Not decryptable, or fields missing.
  auto garbled = oem_info_body(f, f.secret, f.model);
  garbled["oem_key"] = "AAAA";
  CHECK(f.device_call("PUT", f.device_path("/oem_info.json"), garbled).status == 400);
  CHECK(f.device_call("PUT", f.device_path("/oem_info.json"), json{{"oem", f.oem_id}}).status == 400);
  CHECK(admin_device(f)["template_version"] == "");
}

TEST_CASE("PUT /devices/<key>.json records the firmware version", "[ads_sim][device]") {
  core_fixture f;
  CHECK(f.device_call("PUT", f.device_path(), json{{"device", {{"sw_version", "fw-1.2"}}}}).status == 204);
  CHECK(admin_device(f)["fw_version"] == "fw-1.2");
  CHECK(f.device_call("PUT", f.device_path(), json{{"device", {{"oem", "someoneelse"}}}}).status == 403);
  CHECK(f.device_call("PUT", f.device_path(), json{{"device", "x"}}).status == 400);
  CHECK(f.device_call("PUT", f.device_path(), json{{"device", {{"sw_version", 5}}}}).status == 400);
}

TEST_CASE("datapoints are stored in order and read back newest last", "[ads_sim][device]") {
  core_fixture f;
  const std::string token = f.token();
  const std::string path = f.device_path("/properties/Blue_LED/datapoints.json");
  for (int i = 0; i < 5; ++i) {
    json body{{"datapoint", {{"name", "Blue_LED"}, {"base_type", "integer"}, {"value", i}}}};
    if (i == 2) body["datapoint"]["metadata"] = {{"source", "test"}};
    const auto response = f.respond(f.with_token(make_request("POST", path, body.dump()), token),
                                    t0 + std::chrono::milliseconds(i));
    REQUIRE(response.status == 201);
    CHECK(body_of(response)["datapoint"]["value"] == i);
  }
  const auto list = body_of(f.respond(admin_request("GET", "/devices/" + f.device.dsn + "/properties/Blue_LED/datapoints")));
  REQUIRE(list["datapoints"].size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(list["datapoints"][i]["value"] == i);
  CHECK(list["datapoints"][2]["metadata"]["source"] == "test");
  CHECK(list["datapoints"][4]["created_at"] == ads_sim::iso8601(t0 + std::chrono::milliseconds(4)));

  const auto property =
      body_of(f.respond(f.with_token(make_request("GET", f.device_path("/properties/Blue_LED.json")), token)));
  CHECK(property["property"]["value"] == 4);
  CHECK(property["property"]["base_type"] == "integer");
  CHECK(property["property"]["direction"] == "output");
}

TEST_CASE("datapoints of the wrong type or shape are refused", "[ads_sim][device]") {
  core_fixture f;
  const std::string token = f.token();
  auto post = [&](const std::string& name, const json& body) {
    return f.respond(f.with_token(make_request("POST", f.device_path("/properties/" + name + "/datapoints.json"),
                                               body.dump()),
                                  token))
        .status;
  };
  auto datapoint = [](const char* type, json value) {
    return json{{"datapoint", {{"base_type", type}, {"value", std::move(value)}}}};
  };
  CHECK(post("flag", datapoint("boolean", true)) == 201);
  CHECK(post("flag", datapoint("boolean", 2)) == 422);
  CHECK(post("flag", datapoint("integer", 1)) == 422);  // the property is boolean
  CHECK(post("count", datapoint("integer", 1.5)) == 422);
  CHECK(post("temp", datapoint("decimal", 21.5)) == 201);
  CHECK(post("text", datapoint("string", std::string(1025, 'x'))) == 422);
  CHECK(post("text", datapoint("string", "hello")) == 201);
  CHECK(post("text", datapoint("colour", "red")) == 400);
  CHECK(post("text", json{{"datapoint", {{"base_type", "string"}}}}) == 400);
  CHECK(post("text", json{{"value", 1}}) == 400);
  CHECK(post("text", json{{"datapoint", {{"name", "other"}, {"base_type", "string"}, {"value", "a"}}}}) == 400);
  CHECK(post("text", json{{"datapoint", {{"base_type", "string"}, {"value", "a"}, {"metadata", {{"k", 1}}}}}}) == 400);
  CHECK(post("bad%20name", datapoint("string", "a")) == 400);
  const auto flag =
      body_of(f.respond(f.with_token(make_request("GET", f.device_path("/properties/flag.json")), token)));
  CHECK(flag["property"]["value"] == 1);  // true is stored as 1
  CHECK(f.respond(f.with_token(make_request("GET", f.device_path("/properties/nothing.json")), token)).status == 404);
}

TEST_CASE("a to-device property set by the admin reaches the command queue", "[ads_sim][device]") {
  core_fixture f;
  const std::string token = f.token();
  const auto commands = f.with_token(make_request("GET", f.device_path("/commands.json")), token);
  auto empty = body_of(f.respond(commands));
  CHECK(empty["commands"]["cmds"].empty());
  CHECK(empty["commands"]["properties"].empty());

  const std::string admin_path = "/devices/" + f.device.dsn + "/properties/Blue_LED";
  CHECK(f.respond(admin_request("PUT", admin_path, json{{"value", 0}, {"base_type", "boolean"}})).status == 200);
  CHECK(f.respond(admin_request("PUT", admin_path, json{{"value", true}})).status == 200);
  CHECK(f.core.take_woken_devices() == std::vector<std::int64_t>{f.device.key, f.device.key});

  const auto delivered = f.respond(commands);
  CHECK(delivered.status == 200);
  const auto body = body_of(delivered);
  // Two changes not yet delivered coalesce into the newest value.
  REQUIRE(body["commands"]["properties"].size() == 1);
  CHECK(body["commands"]["properties"][0]["property"]["name"] == "Blue_LED");
  CHECK(body["commands"]["properties"][0]["property"]["base_type"] == "boolean");
  CHECK(body["commands"]["properties"][0]["property"]["value"] == 1);
  // Delivered means gone from the queue.
  CHECK(body_of(f.respond(commands))["commands"]["properties"].empty());

  const auto admin_view = body_of(f.respond(admin_request("GET", admin_path)));
  CHECK(admin_view["direction"] == "input");
  CHECK(admin_view["value"] == 1);
  const auto history = body_of(f.respond(admin_request("GET", admin_path + "/datapoints")));
  REQUIRE(history["datapoints"].size() == 2);
  CHECK(history["datapoints"][0]["value"] == 0);
  CHECK(history["datapoints"][1]["value"] == 1);
}

TEST_CASE("more than one batch of queued changes answers 206 until drained", "[ads_sim][device]") {
  core_fixture f;
  const std::string token = f.token();
  for (std::size_t i = 0; i < ads_sim::max_batch + 3; ++i)
    REQUIRE(f.core.set_to_device_property(f.device.dsn, "p" + std::to_string(i), json(static_cast<int>(i)), "integer", t0));
  const auto commands = f.with_token(make_request("GET", f.device_path("/commands.json")), token);
  const auto first = f.respond(commands);
  CHECK(first.status == 206);
  const auto first_body = body_of(first);
  REQUIRE(first_body["commands"]["properties"].size() == ads_sim::max_batch);
  CHECK(first_body["commands"]["properties"][0]["property"]["name"] == "p0");  // oldest first
  const auto second = f.respond(commands);
  CHECK(second.status == 200);
  CHECK(body_of(second)["commands"]["properties"].size() == 3);
}

TEST_CASE("commands.json with nothing queued answers at once, even when an old client asks to wait",
          "[ads_sim][device]") {
  core_fixture f;
  const std::string token = f.token();
  // ?poll= was the long poll's parameter: accepted and ignored, whatever its value.
  for (const char* query : {"?poll=25", "?poll=999", "?poll=x", "?polling=1&signal=-70"}) {
    const auto answer = f.respond(f.with_token(make_request("GET", f.device_path(std::string("/commands.json") + query)), token));
    CHECK(answer.status == 200);
    CHECK(body_of(answer)["commands"]["cmds"].empty());
    CHECK(body_of(answer)["commands"]["properties"].empty());
  }
  // Nobody hears the service but through ANS: asking for commands does not make a device listening.
  CHECK(admin_device(f)["listening"] == false);
}

TEST_CASE("listening follows the ANS registration: alive for two keep-alive periods after the device is heard",
          "[ads_sim][device]") {
  core_fixture f;
  const auto now = std::chrono::system_clock::now();
  const auto period = std::chrono::seconds(ads_sim::ans_keep_alive_secs);
  // As the store has it: what every replica sharing it answers.
  const auto listening_at = [&f](ads_sim::clock_time at) {
    return f.core.listening(*f.core.storage().devices().find_device(f.device.key), at);
  };
  f.core.set_notified(f.device.key, true, now);
  CHECK(listening_at(now + period));
  CHECK(listening_at(now + 2 * period));
  CHECK_FALSE(listening_at(now + 3 * period));  // keep-alives stopped: the device is gone
  f.core.set_notified(f.device.key, true, now + 3 * period);
  CHECK(listening_at(now + 3 * period));
  f.core.set_notified(f.device.key, false, now + 3 * period);  // unregistered
  CHECK_FALSE(listening_at(now + 3 * period));
  f.core.set_notified(f.device.key, true, now + 3 * period + std::chrono::seconds(1));  // and back at once
  CHECK(listening_at(now + 3 * period + std::chrono::seconds(1)));
}

TEST_CASE("the listening deadline is written once per keep-alive, not once per packet", "[ads_sim][device]") {
  core_fixture f;
  const auto stored = [&f] { return f.core.storage().devices().find_device(f.device.key)->listening_until_ms; };
  const auto heard = [&f](std::chrono::seconds after) { f.core.set_notified(f.device.key, true, t0 + after); };
  heard(0s);  // the registration
  const auto first = stored();
  REQUIRE(first);
  heard(1s);  // the acknowledgement of an event, right after: within 5 s of the stored deadline, not written
  heard(5s);
  CHECK(stored() == first);
  heard(6s);
  CHECK(stored() == std::optional(*first + 6'000));
  heard(36s);  // the next keep-alive
  CHECK(stored() == std::optional(*first + 36'000));
  // Whatever was skipped, the stored deadline stays two whole periods after the last packet heard.
  heard(40s);
  CHECK(f.core.listening(*f.core.storage().devices().find_device(f.device.key), t0 + 40s + 60s));
  // Cleared behind this process's back (the device unregistered with another replica): the next keep-alive writes.
  REQUIRE(f.core.storage().devices().mark_device_not_listening(f.device.key));
  heard(66s);
  CHECK(stored() == std::optional(*first + 66'000));
}

TEST_CASE("command results are recorded, unknown commands are 404", "[ads_sim][device]") {
  core_fixture f;
  const std::string token = f.token();
  const auto id = f.core.storage().properties().queue_command(f.device.key, "PUT", "ota.json", R"({"ota":{"ver":"2"}})", "t");
  REQUIRE(id.has_value());
  const auto batch = body_of(f.respond(f.with_token(make_request("GET", f.device_path("/commands.json")), token)));
  REQUIRE(batch["commands"]["cmds"].size() == 1);
  const auto& cmd = batch["commands"]["cmds"][0]["cmd"];
  CHECK(cmd["resource"] == "ota.json");
  // `data` is JSON text and `uri` is below the device, as ADA's client.c reads them.
  REQUIRE(cmd["data"].is_string());
  CHECK(json::parse(cmd["data"].get<std::string>())["ota"]["ver"] == "2");
  const std::string uri = cmd["uri"];
  CHECK(uri == "/commands/" + std::to_string(*id) + ".json");
  const std::string result = f.device_path(uri) + "?cmd_id=" + std::to_string(*id) + "&status=200";
  CHECK(f.respond(f.with_token(make_request("PUT", result), token)).status == 204);
  CHECK(f.respond(f.with_token(make_request("PUT", f.device_path("/commands/999.json?cmd_id=999&status=200")), token))
            .status == 404);
  // A status that is not a number, or a cmd_id naming another command, is refused.
  CHECK(f.respond(f.with_token(make_request("PUT", f.device_path(uri) + "?status=ok"), token)).status == 400);
  CHECK(f.respond(f.with_token(make_request("PUT", f.device_path(uri) + "?cmd_id=5&status=200"), token)).status ==
        400);
}

namespace {

struct provisioning {
  core_fixture f;
  ads_client::rsa_key oem_private = ads_client::rsa_key::generate(2048);
  std::string key_id;

  provisioning() {
    const auto response = f.respond(admin_request("POST", "/oems/" + f.oem_id + "/provision_keys",
                                                  json{{"public_key", oem_private.public_pem()}}));
    REQUIRE(response.status == 201);
    key_id = body_of(response)["key_id"];
  }

  // Ayla's body: the model and a signature that carries "<oem> <hwid> <key id> <rand>" inside it.
  json request_body(const std::string& hwid, const std::string& rand, const ads_client::rsa_key& signer,
                    const std::string& oem = {}) {
    const auto signature =
        signer.sign_recoverable((oem.empty() ? f.oem_id : oem) + " " + hwid + " " + key_id + " " + rand);
    REQUIRE(signature.has_value());
    return json{{"oem_model", "ledevb"}, {"signature", ads_client::base64_encode(*signature)}};
  }

  http_response provision(const json& body) {
    return f.respond(make_request("POST", "/provisions/" + key_id, body.dump()));
  }
};

}  // namespace

TEST_CASE("in-field provisioning with a good signature allocates a DSN and a key", "[ads_sim][provision]") {
  provisioning p;
  CHECK(p.key_id.size() == 16);
  const auto first = p.provision(p.request_body("myhwid1", "r1", p.oem_private));
  REQUIRE(first.status == 201);
  const auto created = body_of(first);
  const std::string dsn = created["dsn"];
  CHECK(dsn.rfind("AC000W", 0) == 0);
  CHECK(dsn.size() == 15);
  const auto device_key = ads_client::rsa_key::public_from_base64_body(created["public_key"].get<std::string>());
  REQUIRE(device_key.has_value());
  CHECK(device_key->bits() == 2048);

  // The same hardware asks again (new rand): the same identity.
  const auto again = p.provision(p.request_body("myhwid1", "r2", p.oem_private));
  CHECK(again.status == 200);
  CHECK(body_of(again)["dsn"] == created["dsn"]);
  CHECK(body_of(again)["public_key"] == created["public_key"]);
  // oem_cipher: the OEM key text sealed for the new device (ADA refuses an answer without it).
  const auto device_private = [&] {
    const auto devices = p.f.core.storage().devices().find_device_by_dsn(dsn);
    REQUIRE(devices.has_value());
    return ads_client::rsa_key::from_pem(devices->private_key_pem);
  }();
  REQUIRE(device_private.has_value());
  const auto sealed = ads_client::base64_decode(created["oem_cipher"].get<std::string>());
  REQUIRE(sealed.has_value());
  const auto opened = device_private->decrypt_pkcs1(*sealed);
  REQUIRE(opened.has_value());
  CHECK(opened->ends_with(" " + p.f.secret + " " + p.f.oem_id + " ledevb"));
  // Other hardware: another DSN.
  const auto other = p.provision(p.request_body("myhwid2", "r3", p.oem_private));
  CHECK(other.status == 201);
  CHECK(body_of(other)["dsn"] != dsn);

  // The provisioned device can authenticate with the key it was given.
  const auto device = body_of(p.f.respond(admin_request("GET", "/devices/" + dsn)));
  CHECK(device["hwid"] == "myhwid1");
  CHECK(device["model"] == "ledevb");
  p.f.device = {dsn, device["key"].get<std::int64_t>(), created["public_key"].get<std::string>()};
  CHECK(p.f.device_call("GET", "/dsns/" + dsn + ".json").status == 200);
}

TEST_CASE("in-field provisioning with a bad signature is refused", "[ads_sim][provision]") {
  provisioning p;
  const auto stranger = ads_client::rsa_key::generate(2048);
  const auto response = p.provision(p.request_body("myhwid1", "r1", stranger));
  CHECK(response.status == 403);
  CHECK(body_of(response)["error"] == "bad signature");
  // Signed for another OEM than the key's.
  CHECK(p.provision(p.request_body("myhwid1", "r1", p.oem_private, "someoneelse")).status == 403);
  auto not_base64 = p.request_body("myhwid1", "r1", p.oem_private);
  not_base64["signature"] = "***";
  CHECK(p.provision(not_base64).status == 400);
  auto incomplete = p.request_body("myhwid1", "r1", p.oem_private);
  incomplete.erase("signature");
  CHECK(p.provision(incomplete).status == 400);
  auto wrong_oem = p.request_body("myhwid1", "r1", p.oem_private);
  wrong_oem["oem"] = "someoneelse";
  CHECK(p.provision(wrong_oem).status == 403);
  CHECK(p.f.respond(make_request("POST", "/provisions/nokey", p.request_body("h", "r", p.oem_private).dump()))
            .status == 404);
  CHECK(body_of(p.f.respond(admin_request("GET", "/devices")))["devices"].size() == 1);  // only the factory one
}
