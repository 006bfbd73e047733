// Who may open a device's terminal: the page's own origin, the session's CSRF token, the caller's OEM's device (or
// any, for the module maker), a real WebSocket upgrade, and a module running in-process — in that order.
#include "ads_sim/terminal/terminal_access.hpp"

#include <catch2/catch.hpp>

using ads_sim::account_role;
using ads_sim::terminal::refuse_terminal;
using ads_sim::terminal::upgrade_facts;

namespace {

upgrade_facts allowed_oem() {
  upgrade_facts facts;
  facts.role = account_role::oem;
  facts.account_oem = "aaaa0001";
  facts.origin = "https://127.0.0.1:8443";
  facts.host = "127.0.0.1:8443";
  facts.csrf_matches = true;
  facts.device_oem = "aaaa0001";
  facts.websocket_upgrade = true;
  facts.port_running = true;
  return facts;
}

int status_of(const upgrade_facts& facts) {
  const auto refused = refuse_terminal(facts);
  return refused ? refused->status : 101;
}

}  // namespace

TEST_CASE("the device's OEM opens its terminal", "[ads_sim][terminal]") { CHECK(status_of(allowed_oem()) == 101); }

TEST_CASE("the module maker opens any device's terminal", "[ads_sim][terminal]") {
  auto facts = allowed_oem();
  facts.role = account_role::module_maker;
  facts.account_oem = "";
  CHECK(status_of(facts) == 101);
}

TEST_CASE("another OEM's device is refused", "[ads_sim][terminal]") {
  auto facts = allowed_oem();
  facts.device_oem = "bbbb0002";
  CHECK(status_of(facts) == 403);
  CHECK(refuse_terminal(facts)->message == "another OEM's device");
  facts.device_oem = std::nullopt;
  CHECK(status_of(facts) == 404);
}

TEST_CASE("an upgrade from another origin, or without the CSRF token, is refused first", "[ads_sim][terminal]") {
  auto facts = allowed_oem();
  facts.origin = "https://evil.example";
  CHECK(status_of(facts) == 403);
  facts.origin = std::nullopt;
  CHECK(status_of(facts) == 403);
  facts.origin = "http://127.0.0.1:8443";  // the scheme counts too
  CHECK(status_of(facts) == 403);
  facts = allowed_oem();
  facts.csrf_matches = false;
  facts.device_oem = std::nullopt;  // a page of another site learns nothing about which DSNs exist
  CHECK(status_of(facts) == 403);
  CHECK(refuse_terminal(facts)->message == "missing or wrong CSRF token");
}

TEST_CASE("a plain GET, or a device whose module runs elsewhere, gets a reason", "[ads_sim][terminal]") {
  auto facts = allowed_oem();
  facts.websocket_upgrade = false;
  CHECK(status_of(facts) == 426);
  facts = allowed_oem();
  facts.port_running = false;
  CHECK(status_of(facts) == 503);
  CHECK_THAT(refuse_terminal(facts)->message, Catch::Contains("does not run in the service's process"));
}
