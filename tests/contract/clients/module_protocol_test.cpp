// The module's own protocol code (ads_client::device_api and device_auth) against the service core: both sides
// of PROTOCOL.md must agree, request by request.
#include <algorithm>
#include <cctype>

#include "ads_client/device_auth.hpp"
#include "ads_client/device_protocol.hpp"
#include "tests/unit/ads_sim/support.hpp"

using namespace ads_sim_test;
namespace api = ads_client::device_api;

namespace {

// What the HTTPS transport does between the two: JSON content type on bodies, lower-case header names back.
struct wire {
  core_fixture& f;
  ads_client::device_auth auth;
  std::int64_t module_clock;  // the module's idea of the time, in unix seconds

  ads_client::http_response send(const ads_client::http_request& request, bool sign = true) {
    ads_client::http_request signed_request = request;
    if (sign) REQUIRE(auth.sign(signed_request, module_clock));
    http_request core_request = make_request(signed_request.method, signed_request.target, signed_request.body);
    for (const auto& header : signed_request.headers) core_request.headers.push_back(header);
    const auto answer = f.respond(core_request);
    ads_client::http_response response{answer.status, {}, answer.body};
    for (const auto& [name, value] : answer.headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      response.headers[lower] = value;
    }
    if (sign) last_verdict = auth.on_response(response, module_clock);
    return response;
  }

  ads_client::device_auth::verdict last_verdict = ads_client::device_auth::verdict::accepted;
};

}  // namespace

TEST_CASE("the module's protocol code and the service agree on every device request", "[ads_sim][contract]") {
  core_fixture f;
  wire w{f, {}, ads_sim::unix_seconds(t0) - 1000};  // the module's clock is off by 1000 s
  w.auth.set_key(ads_client::rsa_key::public_from_base64_body(f.device.public_key));

  // The first attempt is refused for the time; the device corrects its clock from the answer and succeeds.
  auto dsn_answer = w.send(api::get_dsn(f.device.dsn));
  CHECK(dsn_answer.status == 401);
  CHECK(w.last_verdict == ads_client::device_auth::verdict::retry);
  dsn_answer = w.send(api::get_dsn(f.device.dsn));
  REQUIRE(dsn_answer.status == 200);
  CHECK(w.auth.has_token());
  const auto record = api::parse_dsn(dsn_answer);
  REQUIRE(record.has_value());
  CHECK(record->key == f.device.key);
  CHECK(record->dsn == f.device.dsn);

  CHECK(w.send(api::put_device(record->key, "fw-1.0", f.oem_id, f.model)).status == 204);
  const auto device_key = ads_client::rsa_key::public_from_base64_body(f.device.public_key);
  const auto good_key = api::make_oem_key(*device_key, ads_sim::unix_seconds(t0), f.secret, f.oem_id, f.model);
  REQUIRE(good_key.has_value());
  CHECK(w.send(api::put_oem_info(record->key, f.oem_id, f.model, *good_key, "1.0-pwb")).status == 200);
  const auto bad_key = api::make_oem_key(*device_key, ads_sim::unix_seconds(t0), "nope", f.oem_id, f.model);
  const auto refused = w.send(api::put_oem_info(record->key, f.oem_id, f.model, *bad_key, ""));
  CHECK(refused.status == 403);
  CHECK(api::error_text(refused) == "oem_key does not match");

  // s: a datapoint with metadata, then g reads it back.
  const auto value = api::value_from_text("decimal", "21.50");
  REQUIRE(value.has_value());
  CHECK(w.send(api::post_datapoint(record->key, "temp", "decimal", *value, {{"unit", "C"}})).status == 201);
  const auto property = api::parse_property(w.send(api::get_property(record->key, "temp")));
  REQUIRE(property.has_value());
  CHECK(property->base_type == "decimal");
  CHECK(api::value_to_text(property->base_type, property->value) == "21.50");

  // The cloud sets a to-device property; the device's poll brings it.
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(true), "boolean", t0));
  const auto batch = api::parse_commands(w.send(api::get_commands(record->key, 0)));
  REQUIRE(batch.has_value());
  REQUIRE(batch->properties.size() == 1);
  CHECK(batch->properties[0].name == "Blue_LED");
  CHECK(api::at_type_of(batch->properties[0].base_type) == 'b');
  CHECK(api::value_to_text(batch->properties[0].base_type, batch->properties[0].value) == "1");
  CHECK_FALSE(batch->more);

  // OTA: the offer, a ranged download, the result and a failure report.
  const std::string image(300, 'x');
  const auto [uploaded, job] = f.start_host_ota(image);
  const auto offer = api::parse_commands(w.send(api::get_commands(record->key, 0)));
  REQUIRE(offer.has_value());
  REQUIRE(offer->cmds.size() == 1);
  const auto& cmd = offer->cmds[0];
  CHECK(cmd.resource == "ota.json");
  CHECK(cmd.data["ota"]["type"] == "host_mcu");
  CHECK(cmd.data["ota"]["size"] == 300);
  CHECK(cmd.data["ota"]["source"] == "local");
  ads_client::http_request range{"GET", url_path(cmd.data["ota"]["url"]), {{"Range", "bytes=0-99"}}, {}};
  const auto part = w.send(range);
  CHECK(part.status == 206);
  CHECK(part.body == image.substr(0, 100));
  CHECK(w.send(api::put_command_result(api::command_result_target(record->key, cmd), 0)).status == 204);
  CHECK(f.core.storage().ota().find_ota_job(job.job_id)->succeeded == 1);
  CHECK(w.send(api::put_ota_failed(record->key, "module", 1)).status == 204);
}

TEST_CASE("the module's in-field provisioning request is accepted by the service", "[ads_sim][contract]") {
  core_fixture f;
  const auto oem_key = ads_client::rsa_key::generate(2048);
  const auto key = f.core.add_provision_key(f.oem_id, oem_key.public_pem(), t0);
  REQUIRE(key);
  const std::string rand = "5d41402abc4b2a76";
  const auto signature = oem_key.sign_recoverable(api::provisioning_claim(f.oem_id, "myhwid1", key->key_id, rand));
  REQUIRE(signature.has_value());
  wire w{f, {}, ads_sim::unix_seconds(t0)};
  const auto answer = w.send(api::post_provision(key->key_id, "ledevb",
                                                 ads_client::base64_encode(*signature)),
                             false);
  const auto provisioned = api::parse_provision(answer);
  REQUIRE(provisioned.has_value());
  CHECK(provisioned->dsn.rfind("AC000W", 0) == 0);
  // The module stores the answer as id/dev_id and id/key, and can then authenticate with it.
  w.auth.set_key(ads_client::rsa_key::public_from_base64_body(provisioned->public_key));
  const auto record = api::parse_dsn(w.send(api::get_dsn(provisioned->dsn)));
  REQUIRE(record.has_value());
  CHECK(record->dsn == provisioned->dsn);
}
