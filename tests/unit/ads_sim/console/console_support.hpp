#pragma once
// A core_fixture with the console's module maker and a signed-in OEM, and requests as the console's pages send
// them (session cookie, CSRF header). The password hash runs with few iterations: tests check behaviour, not cost.
#include "../support.hpp"
#include "ads_sim/console/console_auth.hpp"

namespace ads_sim_test {

inline const std::string maker_password = "maker-password-1";

struct console_session {
  std::string cookie;  // "__Host-ads-console=<id>"
  std::string csrf;
};

inline http_request console_request(std::string method, const std::string& path, const console_session* session,
                                    const json& body = nullptr) {
  auto request = make_request(std::move(method), "/api/v1/console" + path, body.is_null() ? "" : body.dump());
  if (session) {
    request.headers.emplace_back("Cookie", "theme=dark; " + session->cookie);
    request.headers.emplace_back("X-CSRF-Token", session->csrf);
  }
  return request;
}

struct console_fixture : core_fixture {
  console_fixture() {
    core.console().auth().configure(ads_sim::console::console_settings{1000, std::chrono::minutes(30),
                                                                         std::chrono::hours(12)});
    REQUIRE(core.console().auth().ensure_module_maker(maker_password, t0));
  }

  http_response login_response(const std::string& email, const std::string& password, const std::string& oem = "",
                               clock_time now = t0) {
    return respond(console_request("POST", "/login", nullptr,
                                   json{{"email", email}, {"password", password}, {"oem_id", oem}}),
                   now);
  }

  console_session login(const std::string& email, const std::string& password, const std::string& oem = "") {
    const auto response = login_response(email, password, oem);
    REQUIRE(response.status == 200);
    const auto cookie = response.header("Set-Cookie");
    REQUIRE(cookie.has_value());
    return {std::string(cookie->substr(0, cookie->find(';'))), body_of(response)["csrf_token"]};
  }

  console_session maker() { return login(std::string(ads_sim::console::module_maker_email), maker_password); }

  // An OEM account made through the module maker's page; `oem_id` "" lets the service choose.
  std::string create_oem_account(const console_session& maker_session, const std::string& email,
                                 const std::string& oem_id = "") {
    json body{{"email", email}, {"name", "OEM " + email}, {"password", "oem-password-1"}};
    if (!oem_id.empty()) body["oem_id"] = oem_id;
    const auto created = respond(console_request("POST", "/oems", &maker_session, body));
    REQUIRE(created.status == 201);
    return body_of(created)["oem_id"];
  }
};

// Two OEMs with a console account and a device each, signed in, beside the module maker.
struct two_oems : console_fixture {
  console_session maker_session = maker();
  std::string oem_a = create_oem_account(maker_session, "a@example.com", "aaaa0001");
  std::string oem_b = create_oem_account(maker_session, "b@example.com", "bbbb0002");
  console_session a = login("a@example.com", "oem-password-1");
  console_session b = login("b@example.com", "oem-password-1");
  std::string dsn_a = core.create_factory_devices(oem_a, "myoemmodel", ads_sim::fresh_keys(1), t0)->front().dsn;
  std::string dsn_b = core.create_factory_devices(oem_b, "myoemmodel", ads_sim::fresh_keys(1), t0)->front().dsn;
};

}  // namespace ads_sim_test
