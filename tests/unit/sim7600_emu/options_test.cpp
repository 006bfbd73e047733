#include <catch2/catch.hpp>

#include "emulator/options.hpp"

using sim7600_emu::network_mode;
using sim7600_emu::parse_command_line;

namespace {

std::optional<std::string> environment(const std::string& name) {
  if (name == "HOME") return std::string("/home/dev");
  return std::nullopt;
}

common::outcome<sim7600_emu::command_line> parse(std::vector<std::string> args) {
  return parse_command_line(args, environment);
}

}  // namespace

TEST_CASE("options: the defaults of SPEC §1") {
  const auto parsed = parse({});
  REQUIRE(parsed.ok());
  CHECK(parsed->args.pty_link == "/tmp/ttySIM7600");
  CHECK(parsed->args.state_dir == "/home/dev/.local/state/sim7600-emu");
  CHECK(parsed->args.boot_delay == std::chrono::milliseconds(2000));
  CHECK_FALSE(parsed->args.ads_url);
  CHECK(parsed->args.factory_identity);
}

TEST_CASE("options: the network comes up by itself with the embedded service, by the host's AT commands otherwise") {
  CHECK(parse({})->args.effective_network() == network_mode::automatic);
  CHECK(parse({"--ads-url", "https://127.0.0.1:8443"})->args.effective_network() == network_mode::manual);
  CHECK(parse({"--network", "manual"})->args.effective_network() == network_mode::manual);
  CHECK(parse({"--ads-url", "https://h", "--network=auto"})->args.effective_network() == network_mode::automatic);
  CHECK(parse({"--network", "sometimes"}).error().reason == "--network wants auto or manual, got 'sometimes'");
}

TEST_CASE("options: bad flags are refused with one clear reason") {
  CHECK(parse({"--nope"}).error().reason == "unknown flag '--nope' (see --help)");
  CHECK(parse({"--tcp", "nohostport"}).error().reason == "--tcp wants HOST:PORT, got 'nohostport'");
  CHECK(parse({"--ads-url", "http://x"}).error().reason == "--ads-url wants an https:// URL, got 'http://x'");
  CHECK(parse({"--ads-ca", "ca.pem"}).error().reason == "--ads-ca needs --ads-url");
  CHECK(parse({"--rtscts"}).error().reason == "--rtscts needs --serial");
  CHECK(parse({"--boot-ms"}).error().reason == "--boot-ms wants a value");
  CHECK(parse({"--factory-identity", "none", "--ads-url", "https://h"}).error().reason ==
        "--factory-identity is for the embedded service (no --ads-url)");
  CHECK(parse({"--serial", "/dev/ttyUSB0", "--baud", "12345"}).error().reason ==
        "--baud 12345 is not a rate the serial device can be set to");
  CHECK(parse({"--console-password-file", "pw", "--ads-url", "https://h"}).error().reason ==
        "--console-password-file is for the embedded service (no --ads-url)");
  CHECK(parse({"--console-password-file", "pw"})->args.console_password_file == std::string("pw"));
  CHECK(parse({"--help"})->what == sim7600_emu::command_line::action::show_help);
}
