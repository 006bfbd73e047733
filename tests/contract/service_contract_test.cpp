// PROTOCOL.md's examples against ads-sim: each example's request, on a store prepared as its `# given:` lines say,
// goes through the service core (sans-I/O), and the answer must be the one the example shows.
#include <functional>

#include "ads_client/device_protocol.hpp"
#include "protocol_examples.hpp"
#include "tests/contract/example_match.hpp"
#include "tests/unit/ads_sim/support.hpp"

namespace {

using namespace ads_sim_test;
using contract::protocol_example;

constexpr std::string_view rand_text = "5d41402abc4b2a76";  // the provisioning claim's nonce

std::string sealed_for(const std::string& public_key_body, const std::string& text) {
  const auto key = ads_client::rsa_key::public_from_base64_body(public_key_body);
  REQUIRE(key.has_value());
  const auto cipher = key->encrypt_pkcs1(text);
  REQUIRE(cipher.has_value());
  return ads_client::base64_encode(*cipher);
}

// One example's world: a service core with one OEM and device, the values its placeholders stand for, and the
// preconditions its `given` lines name.
class example_world {
 public:
  explicit example_world(const protocol_example& example) : example_(example) {
    const std::int64_t now = ads_sim::unix_seconds(t0);
    values_.set("<DSN>", f_.device.dsn);
    values_.set("<key>", std::to_string(f_.device.key));
    values_.set("<token>", f_.token());
    values_.set("<oem_key>", oem_key(f_.device.public_key, now, f_.secret, f_.oem_id, f_.model));
    values_.set("<oem_key with a wrong secret>", oem_key(f_.device.public_key, now, "nope", f_.oem_id, f_.model));
    values_.set("<oem_key for model *>", oem_key(f_.device.public_key, now, f_.secret, f_.oem_id, "*"));
    for (const auto& given : example.given) {
      const auto step = preconditions().find(std::string(given));
      if (step == preconditions().end())
        FAIL("PROTOCOL.md:" << example.line << ": no precondition is called \"" << given
                            << "\" (tests/contract/service_contract_test.cpp lists them)");
      step->second(*this);
    }
  }

  // The example's request, filled in, through the core; then its answer against the example's.
  void check() {
    const int at = example_.request_line;
    const auto target = fill_or_fail(example_.target, at);
    const std::string path = target.substr(0, target.find('?'));
    const std::int64_t device_clock = ads_sim::unix_seconds(t0) + clock_skew_;
    const std::string claim = std::to_string(device_clock) + " " + std::string(example_.method) + " " + path;
    values_.set("<client-auth>", sealed_for(f_.device.public_key, claim));
    values_.set("<client-auth ending in a newline>", sealed_for(f_.device.public_key, claim + "\n"));

    http_request request;
    request.method = std::string(example_.method);
    request.target = target;
    request.connection_id = 1;
    for (const auto& [name, value] : example_.request_headers)
      request.headers.emplace_back(std::string(name), fill_or_fail(value, at));
    request.body = fill_or_fail(example_.request_body, at);
    check_answer(f_.respond(request));
  }

 private:
  using step = std::function<void(example_world&)>;
  static const std::map<std::string, step>& preconditions();

  std::string fill_or_fail(std::string_view text, int line) {
    const auto filled = contract::fill(text, values_);
    if (!filled.error.empty()) FAIL("PROTOCOL.md:" << line << ": " << filled.error);
    return filled.text;
  }

  void check_answer(const http_response& answer) {
    const int at = example_.response_line;
    INFO("PROTOCOL.md:" << at << ": the answer was " << answer.status << " " << answer.body.substr(0, 400));
    if (answer.status != example_.status)
      FAIL_CHECK("PROTOCOL.md:" << at << ": status " << answer.status << ", the example says " << example_.status);
    contract::placeholder_values& values = values_;
    values.known.erase("<token>");  // an answer's token is a fresh one: only its shape is known
    for (std::size_t i = 0; i < example_.response_headers.size(); ++i) {
      const auto& [name, pattern] = example_.response_headers[i];
      const auto value = answer.header(name);
      const int line = at + 1 + static_cast<int>(i);
      if (!value) {
        FAIL_CHECK("PROTOCOL.md:" << line << ": the answer has no " << name << " header");
      } else if (auto wrong = contract::match_text(pattern, *value, values)) {
        FAIL_CHECK("PROTOCOL.md:" << line << ": " << name << ": " << *wrong);
      }
    }
    switch (example_.kind) {
      case contract::body_kind::none:
        if (!answer.body.empty()) FAIL_CHECK("PROTOCOL.md:" << at << ": the example shows no body");
        break;
      case contract::body_kind::bytes: {
        const auto expected = fill_or_fail(example_.response_body, at);
        if (answer.body != expected)
          FAIL_CHECK("PROTOCOL.md:" << at << ": the body is not " << example_.response_body);
        break;
      }
      case contract::body_kind::json: {
        const json body = json::parse(answer.body, nullptr, false);
        if (body.is_discarded()) FAIL("PROTOCOL.md:" << at << ": the body is not JSON");
        if (auto wrong = contract::match_json(json::parse(example_.response_body), body, values))
          FAIL_CHECK("PROTOCOL.md:" << at << ": " << *wrong);
        break;
      }
    }
  }

  // A device request with the token, answered 2xx, as a precondition.
  json device_get(const std::string& target) {
    const auto answer = f_.respond(f_.with_token(make_request("GET", target), values_.known.at("<token>")));
    REQUIRE(answer.status / 100 == 2);
    return body_of(answer);
  }

  void start_ota_job(bool from_image_host) {
    if (from_image_host) f_.core.set_endpoints({"https://ads.test", "127.0.0.1", 55055, "https://images.test", true});
    const std::string image(300, 'x');
    const auto uploaded = f_.start_host_ota(image).image;
    const std::string id = std::to_string(uploaded.image_id);
    values_.set("<image id>", id);
    values_.set("<image sha256>", uploaded.sha256);
    values_.set("<image>", image);
    values_.set("<image bytes 0-99>", image.substr(0, 100));
    if (!from_image_host) return;
    // The image host's token is the service's secret: the device learns it from location.json, so does the test.
    const std::string url = device_get(f_.device_path("/images/" + id + "/location.json"))["ota"]["url"];
    const auto name = url.substr(url.rfind('/') + 1);
    values_.set("<image token>", name.substr(0, name.find('.')));
  }

  void provision_key_signed_claim() {
    const auto oem_key = ads_client::rsa_key::generate(2048);
    const auto key = f_.core.add_provision_key(f_.oem_id, oem_key.public_pem(), t0);
    REQUIRE(key);
    const auto claim = ads_client::device_api::provisioning_claim(f_.oem_id, "myhwid1", key->key_id, rand_text);
    const auto signature = oem_key.sign_recoverable(claim);
    const auto forged = ads_client::rsa_key::generate(2048).sign_recoverable(claim);
    REQUIRE((signature && forged));
    values_.set("<keyid>", key->key_id);
    values_.set("<signature>", ads_client::base64_encode(*signature));
    values_.set("<signature by another key>", ads_client::base64_encode(*forged));
  }

  // The app side's user (§6): its application, tokens and uuid as the examples' placeholders.
  void app_user_signed_in(bool owns_device = true) {
    const auto user = make_app_user(f_, "ann@example.com", owns_device);
    values_.set("<app_id>", user.app_id);
    values_.set("<app_secret>", user.app_secret);
    values_.set("<access token>", user.access_token);
    values_.set("<refresh token>", user.refresh_token);
    const auto stored = f_.core.storage().end_users().find_end_user_by_email(f_.oem_id, user.email);
    REQUIRE(stored);
    values_.set("<user uuid>", stored->uuid);
  }

  // The admin API's identity token for the OEM's user `email` and the application they signed up with.
  void identity_token_minted(const std::string& email) {
    const auto user = f_.core.storage().end_users().find_end_user_by_email(f_.oem_id, email);
    REQUIRE(user);
    const auto minted =
        f_.respond(admin_request("POST", "/identity_tokens", json{{"email", email}, {"app_id", user->app_id}}));
    REQUIRE(minted.status == 201);
    values_.set("<identity token>", body_of(minted)["id_token"]);
  }

  const protocol_example& example_;
  core_fixture f_;
  contract::placeholder_values values_;
  std::int64_t clock_skew_ = 0;  // the device's clock minus the service's, seconds
};

// Every `# given:` line of PROTOCOL.md, word for word.
const std::map<std::string, example_world::step>& example_world::preconditions() {
  static const std::map<std::string, step> table = {
      {"the device's clock is 301 s behind the service's", [](example_world& w) { w.clock_skew_ = -301; }},
      {"another device of the OEM",
       [](example_world& w) {
         const auto made = w.f_.core.create_factory_devices(w.f_.oem_id, w.f_.model, ads_sim::fresh_keys(1), t0);
         REQUIRE(made);
         w.values_.set("<other key>", std::to_string(made->front().key));
       }},
      {"the device reported sw_version 1.0.3, template_version 1.0-pwb and hwsig 3c71bf123456",
       [](example_world& w) {
         auto device = w.f_.core.storage().devices().find_device(w.f_.device.key);
         REQUIRE(device);
         device->fw_version = "1.0.3";
         device->template_version = "1.0-pwb";
         device->hwid = "3c71bf123456";
         REQUIRE(w.f_.core.storage().devices().update_device(*device));
       }},
      {"the cloud set Blue_LED (boolean) to 1",
       [](example_world& w) {
         REQUIRE(w.f_.core.set_to_device_property(w.f_.device.dsn, "Blue_LED", json(1), "boolean", t0));
       }},
      {"the cloud set 17 to-device properties",
       [](example_world& w) {
         for (int i = 0; i < 17; ++i)
           REQUIRE(w.f_.core.set_to_device_property(w.f_.device.dsn, "p" + std::to_string(i), json(i), "integer", t0));
       }},
      {"the device got the queued items already",
       [](example_world& w) {
         const json got = w.device_get(w.f_.device_path("/commands.json"));
         for (const auto& entry : got["commands"]["cmds"])
           w.values_.set("<cmd id>", std::to_string(entry["cmd"]["id"].get<std::int64_t>()));
       }},
      {"an OTA job for a 300-byte host image started", [](example_world& w) { w.start_ota_job(false); }},
      {"an OTA job for a 300-byte host image started, offered from the image host",
       [](example_world& w) { w.start_ota_job(true); }},
      {"the model has a template: Blue_LED boolean input",
       [](example_world& w) {
         const json list = json::array({{{"name", "Blue_LED"}, {"base_type", "boolean"}, {"direction", "input"}}});
         REQUIRE(w.f_.core.set_template(w.f_.oem_id, w.f_.model, list));
       }},
      {"an end user ann@example.com of the OEM's application owns the device and signed in",
       [](example_world& w) { w.app_user_signed_in(); }},
      {"an end user ann@example.com of the OEM's application signed in, owning no device",
       [](example_world& w) { w.app_user_signed_in(false); }},
      {"the device read its registration token from GET /dsns",
       [](example_world& w) {
         w.values_.set("<regtoken>", w.device_get("/dsns/" + w.f_.device.dsn + ".json")["device"]["regtoken"]);
       }},
      {"bob registered the device by its registration token",
       [](example_world& w) {
         app_user bob;
         bob.access_token = w.values_.known.at("<bob's access token>");
         const json body{{"device", {{"regtoken", w.values_.known.at("<regtoken>")}}}};
         REQUIRE(w.f_.respond(bob.call("POST", "/apiv1/devices.json", body)).status == 201);
       }},
      {"another end user bob@example.com of the OEM signed in",
       [](example_world& w) {
         w.values_.set("<bob's access token>", make_app_user(w.f_, "bob@example.com", false).access_token);
       }},
      {"the user signed out",
       [](example_world& w) {
         const json body{{"user", {{"access_token", w.values_.known.at("<access token>")}}}};
         REQUIRE(w.f_.respond(make_request("POST", "/users/sign_out.json", body.dump())).status == 200);
       }},
      {"the admin API minted an identity token for ann@example.com and the application",
       [](example_world& w) { w.identity_token_minted("ann@example.com"); }},
      {"the admin API minted an identity token for bob@example.com and his application",
       [](example_world& w) { w.identity_token_minted("bob@example.com"); }},
      {"the user's app keeps room_list Kitchen:Hall on the device",
       [](example_world& w) {
         app_user ann;
         ann.access_token = w.values_.known.at("<access token>");
         const json body{{"datum", {{"key", "room_list"}, {"value", "Kitchen:Hall"}}}};
         REQUIRE(w.f_.respond(ann.call("POST", "/apiv1/dsns/" + w.f_.device.dsn + "/data.json", body)).status == 201);
       }},
      {"the device sent temp (integer) 21",
       [](example_world& w) {
         const json body{{"datapoint", {{"name", "temp"}, {"base_type", "integer"}, {"value", 21}}}};
         const auto answer = w.f_.respond(w.f_.with_token(
             make_request("POST", w.f_.device_path("/properties/temp/datapoints.json"), body.dump()),
             w.values_.known.at("<token>")));
         REQUIRE(answer.status == 201);
       }},
      {"the OEM's provisioning key <keyid> signed the claim of hwid myhwid1",
       [](example_world& w) { w.provision_key_signed_claim(); }},
      {"that claim provisioned <provisioned DSN> already",
       [](example_world& w) {
         const json body{{"oem_model", w.f_.model}, {"signature", w.values_.known.at("<signature>")}};
         const auto answer = w.f_.respond(make_request("POST", "/provisions/" + w.values_.known.at("<keyid>"),
                                                       body.dump()));
         REQUIRE(answer.status == 201);
         w.values_.set("<provisioned DSN>", body_of(answer)["dsn"]);
         w.values_.set("<provisioned key>", body_of(answer)["public_key"]);
       }},
  };
  return table;
}

void check_against_service(const protocol_example& example) {
  example_world world(example);
  world.check();
}

}  // namespace

#define CONTRACT_SERVICE_CASE(index, title)                  \
  TEST_CASE(title, "[contract][ads_sim]") {                  \
    check_against_service(contract::protocol_examples[index]); \
  }
CONTRACT_SERVICE_CASES(CONTRACT_SERVICE_CASE)
