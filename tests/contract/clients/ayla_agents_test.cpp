// ads-sim against clients that behave as Ayla's own agents do (PROTOCOL.md cites where each behaviour comes from):
// one like devd (newline in the client-auth text, ?polling=, hwsig, ANS), one like ADA (?input=true, cmds.json,
// OTA `source`). Both register, get a to-device change, post a datapoint and take an OTA.
#include "ads_client/ans_packet.hpp"
#include "tests/unit/ads_sim/support.hpp"
#include "ads_sim/ans_core.hpp"

using namespace ads_sim_test;
namespace ans = ads_client::ans;

namespace {

const json led_template = json::parse(R"([
  {"name":"Blue_LED","base_type":"boolean","direction":"input"},
  {"name":"temp","base_type":"decimal","direction":"output"}])");

// A device client over the core; `newline` makes its client-auth text end as devd's does.
struct agent {
  core_fixture& f;
  bool newline;
  std::string token;
  json dsns;

  http_response call(const std::string& method, const std::string& target, const json& body = nullptr) {
    auto request = make_request(method, target, body.is_null() ? "" : body.dump());
    request.headers.emplace_back("x-Ayla-auth-key", "Ayla1.0 " + token);
    return f.respond(request);
  }

  void log_in() {
    const std::string path = "/dsns/" + f.device.dsn + ".json";
    const auto key = ads_client::rsa_key::public_from_base64_body(f.device.public_key);
    const auto cipher = key->encrypt_pkcs1(std::to_string(ads_sim::unix_seconds(t0)) + " GET " + path +
                                           (newline ? "\n" : ""));
    auto request = make_request("GET", path);
    request.headers.emplace_back("x-Ayla-client-auth", "Ayla1.0 " + ads_client::base64_encode(*cipher));
    const auto answer = f.respond(request);
    REQUIRE(answer.status == 200);
    token = std::string(*answer.header("x-Ayla-auth-key"));
    dsns = body_of(answer)["device"];
  }

  json commands(const std::string& query = "") {
    const auto answer = call("GET", f.device_path("/commands.json") + query);
    REQUIRE(answer.status == 200);
    return body_of(answer)["commands"];
  }

  // Takes the OTA offer in `cmds`, downloads the image as its `source` says, and reports as ADA does.
  std::string take_ota(const json& cmds) {
    REQUIRE(cmds.size() == 1);
    const json cmd = cmds[0]["cmd"];
    json ota = json::parse(cmd["data"].get<std::string>())["ota"];
    if (ota["source"] != "local") {
      // First an authenticated GET on the service names the real location...
      const auto located = call("GET", url_path(ota["url"]));
      REQUIRE(located.status == 200);
      ota = body_of(located)["ota"];
      CHECK(ota["url"].get<std::string>().rfind("https://images.test/", 0) == 0);
      // ...which is fetched without Ayla auth.
      const auto image = f.respond(make_request("GET", url_path(ota["url"])));
      REQUIRE(image.status == 200);
      report(cmd);
      return image.body;
    }
    CHECK(ota["url"].get<std::string>().rfind("https://ads.test/", 0) == 0);
    const auto image = call("GET", url_path(ota["url"]));
    REQUIRE(image.status == 200);
    report(cmd);
    return image.body;
  }

  void report(const json& cmd) {
    const std::string target = f.device_path(cmd["uri"].get<std::string>()) +
                               "?cmd_id=" + std::to_string(cmd["id"].get<std::int64_t>()) + "&status=200";
    CHECK(call("PUT", target).status == 204);
  }
};

}  // namespace

TEST_CASE("a devd-like client: newline in the auth text, hwsig, ?polling=, ANS, datapoints, OTA", "[ads_sim][agents]") {
  core_fixture f;
  REQUIRE(f.core.set_template(f.oem_id, f.model, led_template));
  agent devd{f, true, {}, {}};
  devd.log_in();
  // devd fails without the ANS fields (ds_client.c); ADA sets its clock from unix_time.
  CHECK(devd.dsns["ans_server"] == "127.0.0.1");
  CHECK(devd.dsns["ans_port"] == 55055);
  CHECK(ads_client::base64_decode(devd.dsns["ans_cipher_key"].get<std::string>())->size() == ans::key_length);
  CHECK(devd.dsns["unix_time"] == ads_sim::unix_seconds(t0));
  CHECK(devd.dsns["registered"] == false);
  CHECK(devd.dsns["registration_type"] == "Dsn");
  CHECK(devd.dsns["product_name"] == f.device.dsn);
  CHECK(devd.call("PUT", f.device_path(), json{{"device", {{"sw_version", "devd 1.0"}, {"hwsig", "hw-42"}}}}).status ==
        204);
  CHECK(body_of(devd.call("GET", "/dsns/" + f.device.dsn + ".json"))["device"]["hwsig"] == "hw-42");

  // ANS: register with the key from GET /dsns; a to-device change sends an event; then GET commands.json.
  const std::string ans_key = *ads_client::base64_decode(devd.dsns["ans_cipher_key"].get<std::string>());
  ads_sim::ans_core notifier(
      [&](std::string_view dsn) -> std::optional<ads_sim::ans_device> {
        const auto identity = f.core.ans_identity(dsn);
        if (!identity) return std::nullopt;
        return ads_sim::ans_device{identity->first, identity->second};
      },
      [](std::size_t n) { return std::string(n, '\x11'); });
  const auto reg_answer = notifier.receive(
      ans::encode_registration({f.device.dsn, {ans::op::reg, 1, 0}, 30}, ans_key), "10.0.0.9 40000", 5);
  REQUIRE(reg_answer.has_value());
  CHECK(reg_answer->to == "10.0.0.9 40000");
  const auto reg_resp = ans::decode_message(reg_answer->bytes, ans_key);
  REQUIRE(reg_resp.has_value());
  CHECK(reg_resp->head.code == ans::op::reg_resp);
  CHECK(reg_resp->head.seq == 1);
  CHECK(ans::read_u8(reg_resp->fields, 2) == 0);  // no error
  // What the service's "listening" follows: whom the notifier heard, registered.
  const auto heard_reg = notifier.take_heard();
  REQUIRE(heard_reg.has_value());
  CHECK(heard_reg->device_key == f.device.key);
  CHECK(heard_reg->registered);
  CHECK_FALSE(notifier.take_heard());
  CHECK_FALSE(notifier.receive("garbage", "10.0.0.9 40000", 6));
  CHECK_FALSE(notifier.take_heard());
  const auto keep_alive = ans::encode_message({reg_resp->reg_key, {ans::op::keep_alive, 2, 9}, ans::period_field(30)},
                                              ans_key, std::string(16, '\x22'));
  const auto ka_answer = notifier.receive(keep_alive, "10.0.0.9 40001", 10);
  REQUIRE(ka_answer.has_value());
  CHECK(ka_answer->to == "10.0.0.9 40001");  // a moved NAT mapping is followed
  CHECK(ans::decode_message(ka_answer->bytes, ans_key)->head.code == ans::op::keep_alive_resp);
  CHECK(notifier.take_heard().value().registered);

  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(1), std::nullopt, t0));
  for (const auto key : f.core.take_woken_devices()) {
    const auto events = notifier.notify(key, 20);
    REQUIRE(events.size() == 1);
    CHECK(events[0].to == "10.0.0.9 40001");
    CHECK(ans::decode_message(events[0].bytes, ans_key)->head.code == ans::op::notify);
  }
  const json got = devd.commands("?polling=1");
  REQUIRE(got["properties"].size() == 1);
  CHECK(got["properties"][0]["property"]["name"] == "Blue_LED");
  CHECK(got["schedules"] == json::array());

  // Datapoints: a template property is stored, anything else is 404 ("prop may not be in template").
  const json point{{"datapoint", {{"base_type", "decimal"}, {"value", 21.5}}}};
  CHECK(devd.call("POST", f.device_path("/properties/temp/datapoints.json"), point).status == 201);
  const auto unknown = devd.call("POST", f.device_path("/properties/nope/datapoints.json"), point);
  CHECK(unknown.status == 404);
  CHECK(body_of(unknown)["error"] == "prop may not be in template");
  CHECK(devd.call("POST", f.device_path("/properties/temp/datapoints.json"),
                  json{{"datapoint", {{"base_type", "string"}, {"value", "x"}}}})
            .status == 422);

  // OTA, local source.
  const auto job = f.start_host_ota(std::string(700, 'd')).job.job_id;
  CHECK(devd.take_ota(devd.commands()["cmds"]) == std::string(700, 'd'));
  CHECK(f.core.storage().ota().find_ota_job(job)->succeeded == 1);
}

TEST_CASE("an ADA-like client: ?input=true, cmds.json, an OTA from the image host, the '*' oem model",
          "[ads_sim][agents]") {
  core_fixture f;
  f.core.set_endpoints({"https://ads.test", "127.0.0.1", 55055, "https://images.test", true});
  REQUIRE(f.core.set_template(f.oem_id, f.model, led_template));
  agent ada{f, false, {}, {}};
  ada.log_in();
  // ADA's oem.c may seal the wildcard model: it fits the model the body names.
  const auto info = ada.call("PUT", f.device_path("/oem_info.json"),
                             json{{"oem", f.oem_id},
                                  {"oem_model", f.model},
                                  {"oem_key", oem_key(f.device.public_key, ads_sim::unix_seconds(t0), f.secret,
                                                      f.oem_id, "*")}});
  CHECK(info.status == 200);
  CHECK(body_of(info)["registration_type"] == "Dsn");

  // A to-device value delivered once; after a restart ADA asks ?input=true and gets every input value again.
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(true), std::nullopt, t0));
  CHECK(ada.commands()["properties"].size() == 1);
  CHECK(ada.commands()["properties"].empty());
  const json all = ada.commands("?input=true&signal=-70");
  REQUIRE(all["properties"].size() == 1);
  CHECK(all["properties"][0]["property"]["value"] == 1);

  // cmds.json: the commands only; a queued property waits for commands.json.
  CHECK(ada.call("POST", f.device_path("/properties/temp/datapoints.json"),
                 json{{"datapoint", {{"base_type", "decimal"}, {"value", 3.25}}}})
            .status == 201);
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(0), std::nullopt, t0));
  const auto job = f.start_host_ota(std::string(1234, 'a')).job.job_id;
  const auto cmds = ada.call("GET", f.device_path("/cmds.json"));
  REQUIRE(cmds.status == 200);
  const json offer = body_of(cmds)["cmds"];
  CHECK(json::parse(offer[0]["cmd"]["data"].get<std::string>())["ota"]["source"] == "remote");
  CHECK(ada.take_ota(offer) == std::string(1234, 'a'));
  CHECK(f.core.storage().ota().find_ota_job(job)->succeeded == 1);
  CHECK(ada.commands()["properties"].size() == 1);

  // The image host wants its token; the service's own image path still wants Ayla auth.
  CHECK(f.respond(make_request("GET", "/images/1/00000000000000000000000000000000.bin")).status == 404);
}
