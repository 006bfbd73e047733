#include "console_support.hpp"

using namespace ads_sim_test;

TEST_CASE("the module maker signs in with a Secure, HttpOnly, SameSite=Strict session cookie",
          "[ads_sim][console]") {
  console_fixture f;
  const auto response = f.login_response("maker@ads-sim.local", maker_password);
  REQUIRE(response.status == 200);
  const std::string cookie(*response.header("Set-Cookie"));
  CHECK(cookie.starts_with("__Host-ads-console="));
  for (const char* attribute : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"})
    CHECK(cookie.find(attribute) != std::string::npos);
  const std::string id = cookie.substr(cookie.find('=') + 1, 64);
  CHECK(id.find(';') == std::string::npos);  // 256 bits as 64 hex digits
  const auto body = body_of(response);
  CHECK(body["role"] == "module_maker");
  CHECK(body["csrf_token"].get<std::string>().size() == 32);
  // The session id is stored only as its hash.
  CHECK(f.respond(console_request("GET", "/session", nullptr)).status == 401);
  const console_session session{cookie.substr(0, cookie.find(';')), body["csrf_token"]};
  CHECK(body_of(f.respond(console_request("GET", "/session", &session)))["email"] == "maker@ads-sim.local");
}

TEST_CASE("a wrong password, a wrong OEM ID and an unknown email are refused alike", "[ads_sim][console]") {
  console_fixture f;
  const auto maker = f.maker();
  const auto oem_id = f.create_oem_account(maker, "oem1@example.com", "aa11bb22");
  const auto wrong_password = f.login_response("oem1@example.com", "not-the-password");
  CHECK(wrong_password.status == 401);
  CHECK_FALSE(wrong_password.header("Set-Cookie").has_value());
  CHECK(f.login_response("oem1@example.com", "oem-password-1", "ffffffff").status == 401);
  CHECK(body_of(f.login_response("nobody@example.com", "oem-password-1"))["error"] ==
        body_of(wrong_password)["error"]);
  CHECK(f.login_response("oem1@example.com", "oem-password-1", oem_id).status == 200);
  CHECK(f.login_response("OEM1@example.com", "oem-password-1").status == 200);  // emails ignore case
  CHECK(f.respond(console_request("POST", "/login", nullptr, json{{"email", 5}})).status == 400);
}

TEST_CASE("after 5 failed logins further attempts wait, even with the right password", "[ads_sim][console]") {
  console_fixture f;
  for (int i = 0; i < 5; ++i) CHECK(f.login_response("maker@ads-sim.local", "wrong-password", "", t0).status == 401);
  const auto refused = f.login_response("maker@ads-sim.local", maker_password, "", t0 + std::chrono::seconds(1));
  CHECK(refused.status == 429);
  CHECK(body_of(refused)["error"].get<std::string>().find("try again in 29 s") != std::string::npos);
  // The delay passes, a wrong password doubles it.
  CHECK(f.login_response("maker@ads-sim.local", "wrong-password", "", t0 + std::chrono::seconds(30)).status == 401);
  CHECK(f.login_response("maker@ads-sim.local", maker_password, "", t0 + std::chrono::seconds(89)).status == 429);
  CHECK(f.login_response("maker@ads-sim.local", maker_password, "", t0 + std::chrono::seconds(90)).status == 200);
  // Success clears the count.
  CHECK(f.login_response("maker@ads-sim.local", "wrong-password", "", t0 + std::chrono::seconds(91)).status == 401);
  CHECK(f.login_response("maker@ads-sim.local", maker_password, "", t0 + std::chrono::seconds(92)).status == 200);
}

TEST_CASE("every change needs the session's CSRF token", "[ads_sim][console]") {
  console_fixture f;
  auto maker = f.maker();
  const json body{{"email", "oem1@example.com"}, {"name", "OEM"}, {"password", "oem-password-1"}};
  auto forged = maker;
  forged.csrf = std::string(maker.csrf.size(), '0');
  CHECK(f.respond(console_request("POST", "/oems", &forged, body)).status == 403);
  auto no_header = console_request("POST", "/oems", nullptr, body);
  no_header.headers.emplace_back("Cookie", maker.cookie);
  CHECK(f.respond(no_header).status == 403);
  CHECK(f.respond(console_request("GET", "/oems", &maker)).status == 200);  // reads need no token
  CHECK(body_of(f.respond(console_request("GET", "/oems", &maker)))["oems"].size() == 1);  // only the fixture's
  CHECK(f.respond(console_request("POST", "/oems", &maker, body)).status == 201);
}

TEST_CASE("sessions end on logout, after the idle limit and after the absolute limit", "[ads_sim][console]") {
  console_fixture f;
  const auto session = f.maker();
  CHECK(f.respond(console_request("GET", "/session", &session), t0 + std::chrono::minutes(29)).status == 200);
  // Each use moves the idle limit on; 30 idle minutes end it.
  CHECK(f.respond(console_request("GET", "/session", &session), t0 + std::chrono::minutes(58)).status == 200);
  CHECK(f.respond(console_request("GET", "/session", &session), t0 + std::chrono::minutes(88)).status == 401);

  const auto busy = f.maker();
  for (int minutes = 20; minutes < 12 * 60; minutes += 20)
    REQUIRE(f.respond(console_request("GET", "/session", &busy), t0 + std::chrono::minutes(minutes)).status == 200);
  CHECK(f.respond(console_request("GET", "/session", &busy), t0 + std::chrono::hours(12)).status == 401);

  const auto leaving = f.maker();
  const auto out = f.respond(console_request("POST", "/logout", &leaving));
  CHECK(out.status == 204);
  CHECK(out.header("Set-Cookie")->find("Max-Age=0") != std::string::npos);
  CHECK(f.respond(console_request("GET", "/session", &leaving)).status == 401);
}

TEST_CASE("the module maker account is made once, a given password replaces the stored one",
          "[ads_sim][console]") {
  temp_dir dir;
  ads_sim::service_core core(dir.path() / "ads.db", admin_token);
  auto& auth = core.console().auth();
  auth.configure({1000, std::chrono::minutes(30), std::chrono::hours(12)});
  const auto first = auth.ensure_module_maker(std::nullopt, t0);
  REQUIRE(first);
  REQUIRE(first->has_value());
  const std::string generated = **first;
  CHECK(generated.size() >= 16);
  const auto again = auth.ensure_module_maker(std::nullopt, t0);
  REQUIRE(again);
  CHECK_FALSE(again->has_value());  // printed once only
  CHECK(auth.login("maker@ads-sim.local", generated, "", t0));
  CHECK(auth.ensure_module_maker(std::string("short"), t0).error().status == 400);
  REQUIRE(auth.ensure_module_maker(std::string("a-new-password"), t0));
  CHECK_FALSE(auth.login("maker@ads-sim.local", generated, "", t0));
  CHECK(auth.login("maker@ads-sim.local", "a-new-password", "", t0));
}

TEST_CASE("password hashes are salted PBKDF2 and verify only the right password", "[ads_sim][console]") {
  using namespace ads_sim::console;
  const auto one = hash_password("secret-1", 1000);
  const auto two = hash_password("secret-1", 1000);
  CHECK(one.starts_with("pbkdf2-sha256$1000$"));
  CHECK(one != two);
  CHECK(verify_password("secret-1", one));
  CHECK_FALSE(verify_password("secret-2", one));
  CHECK_FALSE(verify_password("secret-1", "pbkdf2-sha256$99999999999$AAAA$AAAA"));
  CHECK_FALSE(verify_password("secret-1", "md5$x"));
}
