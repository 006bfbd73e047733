// The router alone: lookup, path parameters, 404/405, each audience's refusal and the CSRF rule, the JSON body
// (415/400), a handler's error and "answer later", with credential checks that give fixed answers.
#include "ads_sim/router.hpp"

#include "ads_sim/service_core.hpp"
#include "support.hpp"

using namespace ads_sim_test;
using ads_sim::audience;
using ads_sim::reply;
using ads_sim::request_context;
using ads_sim::route;

namespace {

// Who the test says is calling: an admin token or not, a console session (with its CSRF token) or not, a device
// or not; counts the device checks, to see when the router asks.
struct fixed_credentials final : ads_sim::credential_checks {
  bool admin = false;
  std::optional<ads_sim::console::active_session> session;
  bool device = false;
  int device_checks = 0;
  std::optional<ads_sim::end_user_record> user;

  bool admin_token_valid(const http_request&) override { return admin; }
  std::optional<ads_sim::console::active_session> console_session(const http_request&, clock_time) override {
    return session;
  }
  std::optional<http_response> authenticate_device(request_context& c) override {
    ++device_checks;
    if (!device) return ads_sim::error_response(401, "missing x-Ayla-auth-key");
    c.device = ads_sim::device_record{};
    c.extra_headers.emplace_back("x-Ayla-auth-key", "fresh-token");
    return std::nullopt;
  }
  std::optional<ads_sim::end_user_record> end_user(const http_request&, clock_time) override { return user; }
};

ads_sim::console::active_session session_of(ads_sim::account_role role) {
  ads_sim::account_record account;
  account.role = role;
  return {account, "id-hash", "csrf-token"};
}

// Echoes what the router gave the handler: the captures and the body.
reply echo(request_context& c) { return ads_sim::json_response(200, json{{"params", c.params}, {"body", c.body}}); }
reply refuse(request_context&) { return ads_sim::http_error{409, "already there"}; }
reply wants_keys(request_context&) { return ads_sim::need_keys{3}; }
reply wants_password(request_context&) { return ads_sim::need_password{{"secret", "", 1000}}; }
reply drops(request_context&) { return ads_sim::drop_connection{}; }

constexpr route test_routes[] = {
    {"GET", "/things/{}.json", audience::anyone, &echo},
    {"GET", "/things/{}/parts/{}", audience::anyone, &echo},
    {"POST", "/things", audience::anyone, &echo},
    {"PUT", "/things/{}/taken", audience::anyone, &refuse},
    {"POST", "/keys", audience::anyone, &wants_keys},
    {"POST", "/password", audience::console_visitor, &wants_password},
    {"GET", "/drop", audience::anyone, &drops},
    {"POST", "/admin", audience::admin, &echo},
    {"PUT", "/device/{}", audience::device, &echo},
    {"GET", "/console/mine", audience::console_account, &echo},
    {"POST", "/console/mine", audience::console_account, &echo},
    {"GET", "/console/maker", audience::module_maker, &echo},
    {"GET", "/console/oem", audience::oem, &echo},
    {"GET", "/apiv1/mine", audience::end_user, &echo},
    {"PUT", "/users/taken", audience::app_visitor, &refuse},
};

struct router_fixture {
  temp_dir dir;
  ads_sim::service_core core{dir.path() / "ads.db", admin_token};
  ads_sim::router router;
  fixed_credentials who;

  router_fixture() { router.add(test_routes); }

  ads_sim::outcome run(const http_request& request) {
    request_context c(core, request, t0);
    return router.handle(c, who);
  }
  http_response answer(const http_request& request) {
    auto result = run(request);
    REQUIRE(std::holds_alternative<http_response>(result));
    return std::get<http_response>(std::move(result));
  }
  std::string error_of(const http_request& request, int status) {
    const auto response = answer(request);
    CHECK(response.status == status);
    return body_of(response)["error"];
  }
};

}  // namespace

TEST_CASE("the router finds a route and hands over its path parameters", "[ads_sim][router]") {
  router_fixture f;
  auto response = f.answer(make_request("GET", "/things/lamp.json?x=1"));
  CHECK(response.status == 200);
  CHECK(body_of(response)["params"] == json{"lamp"});
  CHECK(body_of(f.answer(make_request("GET", "/things/lamp/parts/7")))["params"] == json({"lamp", "7"}));
  CHECK(ads_sim::match_path("/a/{}.json", "/a/.json") == std::nullopt);  // a capture is never empty
  CHECK(ads_sim::match_path("/a/{}", "/a/b/c") == std::nullopt);
  CHECK(ads_sim::match_path("/a/{}", "//a/b") == std::nullopt);
}

TEST_CASE("an unknown path is 404, a known path with another method 405", "[ads_sim][router]") {
  router_fixture f;
  CHECK(f.error_of(make_request("GET", "/nothing"), 404) == "unknown path");
  CHECK(f.error_of(make_request("GET", "/things/lamp"), 404) == "unknown path");  // no ".json"
  CHECK(f.error_of(make_request("DELETE", "/things/lamp.json"), 405) == "method not allowed");
  CHECK(f.error_of(make_request("GET", "/things"), 405) == "method not allowed");
}

TEST_CASE("each audience refuses callers that are not it", "[ads_sim][router]") {
  router_fixture f;
  CHECK(f.error_of(make_request("POST", "/admin"), 401) == "missing or wrong admin token");
  f.who.admin = true;
  CHECK(f.answer(make_request("POST", "/admin")).status == 200);

  CHECK(f.error_of(make_request("PUT", "/device/1"), 401) == "missing x-Ayla-auth-key");
  f.who.device = true;
  const auto admitted = f.answer(make_request("PUT", "/device/1"));
  CHECK(admitted.status == 200);
  CHECK(admitted.header("x-Ayla-auth-key") == "fresh-token");  // what the check adds reaches the answer

  CHECK(f.error_of(make_request("GET", "/console/mine"), 401) == "sign in first (no session, or it has expired)");
  f.who.session = session_of(ads_sim::account_role::oem);
  CHECK(f.answer(make_request("GET", "/console/mine")).status == 200);
  CHECK(f.answer(make_request("GET", "/console/oem")).status == 200);
  CHECK(f.error_of(make_request("GET", "/console/maker"), 403) == "not for this account");
  f.who.session = session_of(ads_sim::account_role::module_maker);
  CHECK(f.answer(make_request("GET", "/console/maker")).status == 200);
  CHECK(f.error_of(make_request("GET", "/console/oem"), 403) == "not for this account");
}

TEST_CASE("an end user's route needs a valid access token, and app errors carry both shapes", "[ads_sim][router]") {
  router_fixture f;
  const auto refused = f.answer(make_request("GET", "/apiv1/mine"));
  CHECK(refused.status == 401);
  const json why = "Your access token is invalid or expired: sign in again";
  CHECK(body_of(refused) == json{{"error", {{"message", why}}}, {"errors", why}});
  f.who.user = ads_sim::end_user_record{};
  CHECK(f.answer(make_request("GET", "/apiv1/mine")).status == 200);
  // A handler's refusal on the app side is reshaped too; elsewhere it stays {"error":"<why>"}.
  CHECK(body_of(f.answer(make_request("PUT", "/users/taken")))["errors"] == "already there");
  CHECK(body_of(f.answer(make_request("PUT", "/things/lamp/taken")))["error"] == "already there");
}

TEST_CASE("a console change needs the session's CSRF token, a read or the login does not", "[ads_sim][router]") {
  CHECK(ads_sim::needs_csrf(audience::console_account, "POST"));
  CHECK(ads_sim::needs_csrf(audience::oem, "PUT"));
  CHECK_FALSE(ads_sim::needs_csrf(audience::module_maker, "GET"));
  CHECK_FALSE(ads_sim::needs_csrf(audience::console_visitor, "POST"));
  CHECK_FALSE(ads_sim::needs_csrf(audience::admin, "POST"));
  CHECK_FALSE(ads_sim::needs_csrf(audience::device, "PUT"));

  router_fixture f;
  f.who.session = session_of(ads_sim::account_role::oem);
  CHECK(f.error_of(make_request("POST", "/console/mine"), 403) == "missing or wrong CSRF token");
  auto wrong = make_request("POST", "/console/mine");
  wrong.headers.emplace_back("X-CSRF-Token", "csrf-tokeN");
  CHECK(f.error_of(wrong, 403) == "missing or wrong CSRF token");
  auto right = make_request("POST", "/console/mine");
  right.headers.emplace_back("X-CSRF-Token", "csrf-token");
  CHECK(f.answer(right).status == 200);
  CHECK(f.answer(make_request("GET", "/console/mine")).status == 200);
  CHECK_FALSE(std::holds_alternative<http_response>(f.run(make_request("POST", "/password"))));  // no session
}

TEST_CASE("a body must be a JSON object sent as application/json", "[ads_sim][router]") {
  router_fixture f;
  auto no_type = make_request("POST", "/things", R"({"a":1})");
  no_type.headers.clear();
  CHECK(f.error_of(no_type, 415) == "content type must be application/json");
  auto text = make_request("POST", "/things", R"({"a":1})");
  text.headers[0].second = "text/plain";
  CHECK(f.error_of(text, 415) == "content type must be application/json");
  CHECK(f.error_of(make_request("POST", "/things", R"({"a":)"), 400) == "body is not a JSON object");
  CHECK(f.error_of(make_request("POST", "/things", "[1,2]"), 400) == "body is not a JSON object");

  auto charset = make_request("POST", "/things", R"({"a":1})");
  charset.headers[0].second = "application/json; charset=utf-8";
  CHECK(body_of(f.answer(charset))["body"] == json{{"a", 1}});
  CHECK(body_of(f.answer(make_request("POST", "/things")))["body"] == json::object());  // empty reads as {}
}

TEST_CASE("admin and console callers are checked before the body, a device after it", "[ads_sim][router]") {
  router_fixture f;
  CHECK(f.answer(make_request("POST", "/admin", "[1]")).status == 401);
  CHECK(f.answer(make_request("POST", "/console/mine", "[1]")).status == 401);
  // Proving itself mints a device a token: never for a request refused anyway.
  CHECK(f.answer(make_request("PUT", "/device/1", "[1]")).status == 400);
  CHECK(f.who.device_checks == 0);
}

TEST_CASE("a handler's error becomes the HTTP answer", "[ads_sim][router]") {
  router_fixture f;
  const auto response = f.answer(make_request("PUT", "/things/lamp/taken"));
  CHECK(response.status == 409);
  CHECK(body_of(response) == json{{"error", "already there"}});
}

TEST_CASE("answer later and no answer pass through as the outcome", "[ads_sim][router]") {
  router_fixture f;
  const auto keys = f.run(make_request("POST", "/keys"));
  REQUIRE(std::holds_alternative<ads_sim::need_keys>(keys));
  CHECK(std::get<ads_sim::need_keys>(keys).count == 3);
  const auto password = f.run(make_request("POST", "/password"));
  REQUIRE(std::holds_alternative<ads_sim::need_password>(password));
  CHECK(std::get<ads_sim::need_password>(password).work.password == "secret");
  CHECK(std::holds_alternative<ads_sim::drop_connection>(f.run(make_request("GET", "/drop"))));
}
