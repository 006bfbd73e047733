#include <catch2/catch.hpp>

#include "ads_sim/command_line.hpp"

using ads_sim::parse_command_line;
using ads_sim::parse_listen_address;

TEST_CASE("listen addresses are HOST:PORT, with brackets for IPv6", "[ads_sim][cli]") {
  CHECK(parse_listen_address("127.0.0.1:8443") == std::pair<std::string, std::uint16_t>{"127.0.0.1", 8443});
  CHECK(parse_listen_address("localhost:0") == std::pair<std::string, std::uint16_t>{"localhost", 0});
  CHECK(parse_listen_address("[::1]:443") == std::pair<std::string, std::uint16_t>{"::1", 443});
  for (const char* bad : {"", "8443", ":8443", "host:", "host:65536", "host:-1", "host:80x", "::1:443", "[]:1"})
    CHECK_FALSE(parse_listen_address(bad).has_value());
}

TEST_CASE("flags fill the service options, defaults follow SPEC and XDG", "[ads_sim][cli]") {
  const auto defaults = parse_command_line({}, nullptr, "/home/u");
  CHECK(defaults.error.empty());
  CHECK(defaults.options.listen_host == "127.0.0.1");
  CHECK(defaults.options.listen_port == 8443);
  CHECK(defaults.options.data_dir == "/home/u/.local/state/ads-sim");
  CHECK_FALSE(defaults.options.admin_token.has_value());
  CHECK(parse_command_line({}, "/xdg", "/home/u").options.data_dir == "/xdg/ads-sim");

  const auto given =
      parse_command_line({"--listen", "0.0.0.0:0", "--data-dir", "/tmp/d", "--admin-token", "t0k"}, nullptr, nullptr);
  CHECK(given.error.empty());
  CHECK(given.options.listen_host == "0.0.0.0");
  CHECK(given.options.listen_port == 0);
  CHECK(given.options.data_dir == "/tmp/d");
  CHECK(given.options.admin_token == std::string("t0k"));
  CHECK(parse_command_line({"--help"}, nullptr, nullptr).help);

  const auto console = parse_command_line({"--console-password-file", "/tmp/pw", "--console-session-idle", "90"},
                                          nullptr, "/home/u");
  CHECK(console.error.empty());
  CHECK(console.options.console_password_file == std::filesystem::path("/tmp/pw"));
  CHECK(console.options.console_session_idle == std::chrono::seconds(90));
}

TEST_CASE("bad flags give a one-line reason", "[ads_sim][cli]") {
  CHECK(parse_command_line({"--bogus"}, nullptr, nullptr).error == "unknown flag --bogus");
  CHECK(parse_command_line({"--listen"}, nullptr, nullptr).error == "missing value for --listen");
  CHECK(parse_command_line({"--listen", "nope"}, nullptr, nullptr).error == "--listen wants HOST:PORT, got nope");
  CHECK(parse_command_line({"--admin-token", ""}, nullptr, nullptr).error == "--admin-token must not be empty");
  CHECK(parse_command_line({"--data-dir", ""}, nullptr, nullptr).error == "--data-dir must not be empty");
  CHECK(parse_command_line({"--console-password-file", ""}, nullptr, nullptr).error ==
        "--console-password-file must not be empty");
  CHECK(parse_command_line({"--console-session-idle", "0"}, nullptr, nullptr).error ==
        "--console-session-idle wants a number of seconds, got 0");
  CHECK(parse_command_line({"--console-session-idle", "9x"}, nullptr, nullptr).error ==
        "--console-session-idle wants a number of seconds, got 9x");
}
