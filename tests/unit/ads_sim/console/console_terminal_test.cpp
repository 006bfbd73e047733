// The console's terminal upgrade as the core decides it: the session, origin and CSRF checks, the device's OEM (or
// the module maker), and the port of a module running in this process; and the device page's "terminal" flag.
#include "ads_sim/service_state.hpp"
#include "ads_sim/terminal/module_terminal.hpp"
#include "console_support.hpp"

using namespace ads_sim_test;

namespace {

struct terminal_fixture : two_oems {
  std::shared_ptr<ads_sim::terminal::module_terminal> port = std::make_shared<ads_sim::terminal::module_terminal>(
      [](std::function<void()>) {}, [](std::string_view) {});

  terminal_fixture() { core.state().terminals->add(dsn_a, port); }

  // The browser's upgrade request: its cookie, its page's origin, the token as a query parameter.
  http_request upgrade(const console_session* who, const std::string& dsn, std::optional<std::string> csrf,
                       const std::string& origin = "https://ads.test") {
    std::string target = "/api/v1/console/devices/" + dsn + "/terminal";
    if (csrf) target += "?csrf=" + *csrf;
    auto request = make_request("GET", target);
    request.headers.emplace_back("Host", "ads.test");
    request.headers.emplace_back("Origin", origin);
    request.headers.emplace_back("Upgrade", "websocket");
    request.headers.emplace_back("Connection", "Upgrade");
    if (who) request.headers.emplace_back("Cookie", who->cookie);
    return request;
  }

  // 101 when the core hands the connection to the terminal, else the refusal's status.
  int status_of(const http_request& request) {
    auto result = core.handle(request, t0);
    if (const auto* opened = std::get_if<ads_sim::open_terminal>(&result)) {
      CHECK(opened->port == port);
      return 101;
    }
    REQUIRE(std::holds_alternative<http_response>(result));
    return std::get<http_response>(result).status;
  }
};

}  // namespace

TEST_CASE("the device's OEM and the module maker open its terminal", "[ads_sim][console][terminal]") {
  terminal_fixture f;
  CHECK(f.status_of(f.upgrade(&f.a, f.dsn_a, f.a.csrf)) == 101);
  CHECK(f.status_of(f.upgrade(&f.maker_session, f.dsn_a, f.maker_session.csrf)) == 101);
}

TEST_CASE("another OEM's session, a missing or wrong CSRF token, another origin: refused",
          "[ads_sim][console][terminal][security]") {
  terminal_fixture f;
  CHECK(f.status_of(f.upgrade(&f.b, f.dsn_a, f.b.csrf)) == 403);
  CHECK(f.status_of(f.upgrade(&f.a, f.dsn_a, std::nullopt)) == 403);
  CHECK(f.status_of(f.upgrade(&f.a, f.dsn_a, f.b.csrf)) == 403);  // a token, but not this session's
  CHECK(f.status_of(f.upgrade(&f.a, f.dsn_a, f.a.csrf, "https://evil.example")) == 403);
  CHECK(f.status_of(f.upgrade(nullptr, f.dsn_a, f.a.csrf)) == 401);
  CHECK(f.status_of(f.upgrade(&f.a, "AC000W999999999", f.a.csrf)) == 404);
}

TEST_CASE("a device whose module does not run in this process has no terminal, and says so",
          "[ads_sim][console][terminal]") {
  terminal_fixture f;
  f.core.state().terminals->remove(f.dsn_a);
  const auto refused = f.respond(f.upgrade(&f.a, f.dsn_a, f.a.csrf));
  CHECK(refused.status == 503);
  CHECK_THAT(body_of(refused).dump(), Catch::Contains("does not run in the service's process"));
  CHECK(body_of(f.respond(console_request("GET", "/devices/" + f.dsn_a, &f.a)))["terminal"] == false);
  f.core.state().terminals->add(f.dsn_a, f.port);
  CHECK(body_of(f.respond(console_request("GET", "/devices/" + f.dsn_a, &f.a)))["terminal"] == true);
  // A port whose module is gone counts as none.
  f.port.reset();
  CHECK(body_of(f.respond(console_request("GET", "/devices/" + f.dsn_a, &f.a)))["terminal"] == false);
}

TEST_CASE("the module maker gives an OEM the service already has its console account",
          "[ads_sim][console][terminal]") {
  console_fixture f;  // its core made OEM 71866f33 with the admin API's call
  const auto maker = f.maker();
  const auto created = f.respond(console_request(
      "POST", "/oems", &maker, json{{"email", "demo@example.com"}, {"name", "Demo"}, {"password", "oem-password-1"},
                                    {"oem_id", f.oem_id}}));
  REQUIRE(created.status == 201);
  CHECK(body_of(created)["oem_id"] == f.oem_id);
  CHECK_FALSE(body_of(created).contains("oem_secret"));  // given when the OEM was made, not again
  const auto signed_in = f.login("demo@example.com", "oem-password-1", f.oem_id);
  const auto devices = f.respond(console_request("GET", "/devices", &signed_in));
  REQUIRE(body_of(devices)["devices"].size() == 1);
  CHECK(body_of(devices)["devices"][0]["dsn"] == f.device.dsn);
}
