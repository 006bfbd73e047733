// Token sign-in (PROTOCOL.md §6.1): sharkiq's step after its identity provider, with ads-sim's admin API standing
// in for the provider — a minted token signs in the one user it names, for the one application, until it expires.
// And the listeners of one part (--user-listen, --app-listen) answer only their part's paths.
#include "ads_sim/identity_token.hpp"
#include "ads_sim/served_part.hpp"
#include "tests/unit/ads_sim/support.hpp"

using namespace ads_sim_test;

namespace {

std::string minted_identity_token(core_fixture& f, const app_user& user, clock_time now = t0) {
  const auto minted =
      f.respond(admin_request("POST", "/identity_tokens", json{{"email", user.email}, {"app_id", user.app_id}}), now);
  REQUIRE(minted.status == 201);
  CHECK(body_of(minted)["expires_in"] == ads_sim::identity_token_secs);
  return body_of(minted)["id_token"];
}

// What sharkiq posts (JSON).
http_request token_sign_in_request(const app_user& user, const std::string& token) {
  return make_request("POST", "/api/v1/token_sign_in",
                      json{{"app_id", user.app_id}, {"app_secret", user.app_secret}, {"token", token}}.dump());
}

std::string profile_email(core_fixture& f, const std::string& access_token) {
  app_user caller;
  caller.access_token = access_token;
  const auto profile = f.respond(caller.call("GET", "/users/get_user_profile.json"));
  REQUIRE(profile.status == 200);
  return body_of(profile)["email"];
}

}  // namespace

TEST_CASE("token sign-in: a minted identity token signs its user in, as sign-in does", "[ads_sim][app][sso]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const std::string token = minted_identity_token(f, ann);

  const auto signed_in = f.respond(token_sign_in_request(ann, token));
  REQUIRE(signed_in.status == 200);
  const json tokens = body_of(signed_in);
  CHECK(tokens["expires_in"] == 86400);
  CHECK(tokens["role"] == "EndUser");
  CHECK(tokens["refresh_token"].is_string());
  CHECK(profile_email(f, tokens["access_token"]) == "ann@example.com");
  app_user signed_in_ann = ann;
  signed_in_ann.access_token = tokens["access_token"];
  const auto devices = f.respond(signed_in_ann.call("GET", "/apiv1/devices.json"));
  REQUIRE(devices.status == 200);
  CHECK(body_of(devices)[0]["device"]["dsn"] == f.device.dsn);

  // ayla-iot-unofficial's sso_sign_in sends the same fields as a form; Ayla's docs spell the path with .json.
  auto form = make_request("POST", "/api/v1/token_sign_in.json",
                           "app_id=" + ann.app_id + "&app_secret=" + ann.app_secret + "&token=" + token);
  form.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  CHECK(f.respond(form).status == 200);
}

TEST_CASE("token sign-in refuses an expired, altered, foreign or other application's token", "[ads_sim][app][sso]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const auto bob = make_app_user(f, "bob@example.com", false);  // another application of the same OEM
  const std::string token = minted_identity_token(f, ann);

  const auto expired = f.respond(token_sign_in_request(ann, token), t0 + std::chrono::seconds(ads_sim::identity_token_secs));
  CHECK(expired.status == 401);
  CHECK(body_of(expired)["errors"].is_string());  // what sharkiq's _set_credentials reads on 401
  CHECK(f.respond(token_sign_in_request(ann, token), t0 + std::chrono::seconds(ads_sim::identity_token_secs - 1))
            .status == 200);

  // Bob's claims under ann's signature: the signature no longer fits.
  const std::string bob_token = minted_identity_token(f, bob);
  const std::string forged = bob_token.substr(0, bob_token.rfind('.')) + token.substr(token.rfind('.'));
  CHECK(f.respond(token_sign_in_request(bob, forged)).status == 401);
  // Ann's token at bob's application, and bob's at ann's: each token is for one application.
  CHECK(f.respond(token_sign_in_request(bob, token)).status == 401);
  CHECK(f.respond(token_sign_in_request(ann, bob_token)).status == 401);
  // Bob's own token signs in bob, never ann.
  const auto bob_in = f.respond(token_sign_in_request(bob, bob_token));
  REQUIRE(bob_in.status == 200);
  CHECK(profile_email(f, body_of(bob_in)["access_token"]) == "bob@example.com");

  CHECK(f.respond(token_sign_in_request(ann, "not-a-token")).status == 401);
  CHECK(f.respond(token_sign_in_request(ann, "")).status == 401);
  auto wrong_secret = ann;
  wrong_secret.app_secret = "nope";
  CHECK(f.respond(token_sign_in_request(wrong_secret, token)).status == 404);
  // A token signed with another service's key (another admin token) is refused.
  const std::string foreign = ads_sim::mint_identity_token(ads_sim::identity_signing_key("another-admin-token"),
                                                           {"any-uuid", ann.email, ann.app_id, 0}, ads_sim::unix_seconds(t0));
  CHECK(f.respond(token_sign_in_request(ann, foreign)).status == 401);
}

TEST_CASE("minting an identity token needs the admin token, a known application and its OEM's user",
          "[ads_sim][app][sso]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  CHECK(f.respond(make_request("POST", "/api/v1/identity_tokens",
                               json{{"email", ann.email}, {"app_id", ann.app_id}}.dump()))
            .status == 401);
  CHECK(f.respond(admin_request("POST", "/identity_tokens", json{{"email", "nobody@example.com"}, {"app_id", ann.app_id}}))
            .status == 404);
  CHECK(f.respond(admin_request("POST", "/identity_tokens", json{{"email", ann.email}, {"app_id", "app-none"}}))
            .status == 404);
}

TEST_CASE("a listener of one part answers only that part's paths", "[ads_sim][app][hosts]") {
  using ads_sim::part_serves;
  using ads_sim::served_part;
  for (const char* path : {"/users/sign_in.json", "/users.json", "/users/get_user_profile.json",
                           "/api/v1/token_sign_in", "/api/v1/token_sign_in.json"}) {
    INFO(path);
    CHECK(part_serves(served_part::user_service, path));
    CHECK_FALSE(part_serves(served_part::application_api, path));
  }
  for (const char* path : {"/apiv1/devices.json", "/apiv1/dsns/AC000W000000001/properties.json"}) {
    INFO(path);
    CHECK(part_serves(served_part::application_api, path));
    CHECK_FALSE(part_serves(served_part::user_service, path));
  }
  for (const char* path : {"/api/v1/oems", "/console/", "/dsns/AC000W000000001.json", "/usersx", "/apiv1"}) {
    INFO(path);
    CHECK_FALSE(part_serves(served_part::user_service, path));
    CHECK_FALSE(part_serves(served_part::application_api, path));
    CHECK(part_serves(served_part::everything, path));
  }
  const auto refused = ads_sim::outside_part_response();
  CHECK(refused.status == 404);
  CHECK(body_of(refused)["errors"].is_string());
}
