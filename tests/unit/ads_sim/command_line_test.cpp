#include <catch2/catch.hpp>

#include "ads_sim/command_line.hpp"

using ads_sim::parse_command_line;
using ads_sim::parse_listen_address;

namespace {

// The options of a command line that must be valid.
ads_sim::service_options options_of(const std::vector<std::string_view>& args, const char* xdg = nullptr,
                                    const char* home = nullptr) {
  const auto parsed = parse_command_line(args, xdg, home);
  INFO((parsed ? std::string() : parsed.error().reason));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->what == cli::request::run);
  return parsed->args;
}

std::string error_of(const std::vector<std::string_view>& args) {
  const auto parsed = parse_command_line(args, nullptr, nullptr);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().reason;
}

}  // namespace

TEST_CASE("listen addresses are HOST:PORT, with brackets for IPv6", "[ads_sim][cli]") {
  CHECK(parse_listen_address("127.0.0.1:8443") == std::pair<std::string, std::uint16_t>{"127.0.0.1", 8443});
  CHECK(parse_listen_address("localhost:0") == std::pair<std::string, std::uint16_t>{"localhost", 0});
  CHECK(parse_listen_address("[::1]:443") == std::pair<std::string, std::uint16_t>{"::1", 443});
  for (const char* bad : {"", "8443", ":8443", "host:", "host:65536", "host:-1", "host:80x", "::1:443", "[]:1"})
    CHECK_FALSE(parse_listen_address(bad).has_value());
}

TEST_CASE("flags fill the service options, defaults follow SPEC and XDG", "[ads_sim][cli]") {
  const auto defaults = options_of({}, nullptr, "/home/u");
  CHECK(defaults.listen_host == "127.0.0.1");
  CHECK(defaults.listen_port == 8443);
  CHECK(defaults.data_dir == "/home/u/.local/state/ads-sim");
  CHECK_FALSE(defaults.admin_token.has_value());
  CHECK_FALSE(defaults.remote_images);
  CHECK(options_of({}, "/xdg", "/home/u").data_dir == "/xdg/ads-sim");

  const auto given = options_of({"--listen", "0.0.0.0:0", "--data-dir", "/tmp/d", "--admin-token", "t0k"});
  CHECK(given.listen_host == "0.0.0.0");
  CHECK(given.listen_port == 0);
  CHECK(given.data_dir == "/tmp/d");
  CHECK(given.admin_token == std::string("t0k"));

  const auto console = options_of({"--console-password-file", "/tmp/pw", "--console-session-idle", "90"}, nullptr,
                                  "/home/u");
  CHECK(console.console_password_file == std::filesystem::path("/tmp/pw"));
  CHECK(console.console_session_idle == std::chrono::seconds(90));

  const auto addresses = options_of({"--ans-listen", "127.0.0.1:55055", "--image-listen", "[::1]:9", "--remote-images"});
  CHECK(addresses.ans_host == std::string("127.0.0.1"));
  CHECK(addresses.ans_port == 55055);
  CHECK(addresses.image_host == std::string("::1"));
  CHECK(addresses.image_port == 9);
  CHECK(addresses.remote_images);
  CHECK_FALSE(addresses.user_listen.has_value());
  CHECK_FALSE(addresses.app_listen.has_value());

  const auto parts = options_of({"--user-listen", "127.0.0.1:0", "--app-listen", "[::1]:8444"});
  CHECK(parts.user_listen == std::pair<std::string, std::uint16_t>{"127.0.0.1", 0});
  CHECK(parts.app_listen == std::pair<std::string, std::uint16_t>{"::1", 8444});
}

TEST_CASE("every flag takes its value as the next argument or after '='", "[ads_sim][cli]") {
  const auto given = options_of({"--listen=127.0.0.1:9443", "--data-dir=/d", "--console-session-idle=60"});
  CHECK(given.listen_port == 9443);
  CHECK(given.data_dir == "/d");
  CHECK(given.console_session_idle == std::chrono::seconds(60));
  CHECK(error_of({"--admin-token="}) == "--admin-token must not be empty");
  CHECK(options_of({"--listen", "h:1", "--listen", "h:2"}).listen_port == 2);
}

TEST_CASE("bad flags give a one-line reason", "[ads_sim][cli]") {
  CHECK(error_of({"--bogus"}) == "unknown flag --bogus");
  CHECK(error_of({"stray"}) == "unknown flag stray");
  CHECK(error_of({"--listen"}) == "missing value for --listen");
  CHECK(error_of({"--listen", "nope"}) == "--listen wants HOST:PORT, got nope");
  CHECK(error_of({"--ans-listen", "nope"}) == "--ans-listen wants HOST:PORT, got nope");
  CHECK(error_of({"--user-listen", "8443"}) == "--user-listen wants HOST:PORT, got 8443");
  CHECK(error_of({"--app-listen", "h:x"}) == "--app-listen wants HOST:PORT, got h:x");
  CHECK(error_of({"--admin-token", ""}) == "--admin-token must not be empty");
  CHECK(error_of({"--data-dir", ""}) == "--data-dir must not be empty");
  CHECK(error_of({"--console-password-file", ""}) == "--console-password-file must not be empty");
  CHECK(error_of({"--console-session-idle", "0"}) == "--console-session-idle wants a number of seconds, got 0");
  CHECK(error_of({"--console-session-idle", "9x"}) == "--console-session-idle wants a number of seconds, got 9x");
}

TEST_CASE("help and version, in the layout every program shares", "[ads_sim][cli]") {
  CHECK(parse_command_line({"--help"}, nullptr, nullptr)->what == cli::request::help);
  CHECK(parse_command_line({"--bogus", "-h"}, nullptr, nullptr)->what == cli::request::help);
  CHECK(parse_command_line({"--version"}, nullptr, nullptr)->what == cli::request::version);
  const std::string usage = ads_sim::usage_text();
  CHECK(usage.starts_with("usage: ads-sim [flags]\n"));
  for (const char* flag : {"--listen HOST:PORT", "--data-dir DIR", "--admin-token TOKEN", "--console-password-file FILE",
                           "--console-session-idle SECONDS", "--ans-listen IP:PORT", "--image-listen HOST:PORT",
                           "--user-listen HOST:PORT", "--app-listen HOST:PORT", "--remote-images", "-h,--help", "--version",
                           "--tls-cert FILE", "--tls-key FILE", "--tls-ca FILE"}) {
    INFO(flag);
    CHECK(usage.find(flag) != std::string::npos);
  }
}

TEST_CASE("the store is --db sqlite:PATH (default: the file in --data-dir) or postgresql://", "[ads_sim][cli]") {
  using engine = ads_sim::database_url::engine;
  CHECK_FALSE(options_of({}, nullptr, "/home/u").database);  // server.cpp then opens DIR/ads.db as before
  const auto sqlite = options_of({"--db", "sqlite:/var/lib/ads.db"}).database;
  REQUIRE(sqlite);
  CHECK(sqlite->kind == engine::sqlite);
  CHECK(sqlite->target == "/var/lib/ads.db");
  const auto pg = options_of({"--db=postgresql://ads:s3cret@db.example:5433/ads?sslmode=require"}).database;
  REQUIRE(pg);
  CHECK(pg->kind == engine::postgresql);
  CHECK(pg->target == "postgresql://ads:s3cret@db.example:5433/ads?sslmode=require");  // as libpq takes it
  CHECK(pg->shown() == "postgresql://ads:***@db.example:5433/ads?sslmode=require");
  CHECK(ads_sim::database_url{engine::postgresql, "postgres://h/db?password=pw&x=1"}.shown() ==
        "postgres://h/db?password=***&x=1");
  CHECK(options_of({"--db", "postgres://localhost/ads"}).database->kind == engine::postgresql);
  CHECK(error_of({"--db", "mysql://localhost/ads"}) == "--db: not a database URL (sqlite:PATH or postgresql://...)");
  CHECK(error_of({"--db", "sqlite:"}) == "--db sqlite: needs a file path (sqlite:PATH)");
  CHECK(ads_sim::usage_text().find("--db URL") != std::string::npos);
}

TEST_CASE("the TLS flags: --tls-cert and --tls-key name the certificate to serve, --tls-ca what clients trust",
          "[ads_sim][cli]") {
  CHECK_FALSE(options_of({}, nullptr, "/home/u").tls);  // the data dir's, as before
  const auto given =
      options_of({"--tls-cert", "/s/server.pem", "--tls-key=/s/server-key.pem", "--tls-ca", "/s/ca.pem"});
  REQUIRE(given.tls);
  CHECK(given.tls->certificate == "/s/server.pem");
  CHECK(given.tls->key == "/s/server-key.pem");
  CHECK(given.tls->ca == std::filesystem::path("/s/ca.pem"));
  const auto no_ca = options_of({"--tls-key", "k.pem", "--tls-cert", "c.pem"});
  REQUIRE(no_ca.tls);
  CHECK(no_ca.tls->certificate == "c.pem");
  CHECK_FALSE(no_ca.tls->ca);

  CHECK(error_of({"--tls-cert", "c.pem"}) == "--tls-cert needs --tls-key");
  CHECK(error_of({"--tls-key", "k.pem"}) == "--tls-key needs --tls-cert");
  CHECK(error_of({"--tls-ca", "ca.pem"}) == "--tls-ca needs --tls-cert");
  CHECK(error_of({"--tls-ca", "ca.pem", "--tls-key", "k.pem"}) == "--tls-key needs --tls-cert");
  CHECK(error_of({"--tls-cert", "", "--tls-key", "k.pem"}) == "--tls-cert must not be empty");
  CHECK(error_of({"--tls-cert", "c.pem", "--tls-key="}) == "--tls-key must not be empty");
  CHECK(error_of({"--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-ca="}) == "--tls-ca must not be empty");
  CHECK(error_of({"--tls-cert"}) == "missing value for --tls-cert");
}
