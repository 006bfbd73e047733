#include <catch2/catch.hpp>

#include "emulator/options.hpp"

using sim7600_emu::network_mode;
using sim7600_emu::parse_command_line;

namespace {

std::optional<std::string> environment(const std::string& name) {
  if (name == "HOME") return std::string("/home/dev");
  return std::nullopt;
}

sim7600_emu::parse_outcome parse(std::vector<std::string> args) { return parse_command_line(args, environment); }

}  // namespace

TEST_CASE("options: the defaults of SPEC §1") {
  const auto parsed = parse({});
  REQUIRE(parsed.error.empty());
  CHECK(parsed.options.pty_link == "/tmp/ttySIM7600");
  CHECK(parsed.options.state_dir == "/home/dev/.local/state/sim7600-emu");
  CHECK(parsed.options.boot_delay == std::chrono::milliseconds(2000));
  CHECK_FALSE(parsed.options.ads_url);
  CHECK(parsed.options.factory_identity);
}

TEST_CASE("options: the network comes up by itself with the embedded service, by the host's AT commands otherwise") {
  CHECK(parse({}).options.effective_network() == network_mode::automatic);
  CHECK(parse({"--ads-url", "https://127.0.0.1:8443"}).options.effective_network() == network_mode::manual);
  CHECK(parse({"--network", "manual"}).options.effective_network() == network_mode::manual);
  CHECK(parse({"--ads-url", "https://h", "--network=auto"}).options.effective_network() == network_mode::automatic);
  CHECK(parse({"--network", "sometimes"}).error == "--network wants auto or manual, got 'sometimes'");
}

TEST_CASE("options: bad flags are refused with one clear reason") {
  CHECK(parse({"--nope"}).error == "unknown flag '--nope' (see --help)");
  CHECK(parse({"--tcp", "nohostport"}).error == "--tcp wants HOST:PORT, got 'nohostport'");
  CHECK(parse({"--ads-url", "http://x"}).error == "--ads-url wants an https:// URL, got 'http://x'");
  CHECK(parse({"--ads-ca", "ca.pem"}).error == "--ads-ca needs --ads-url");
  CHECK(parse({"--rtscts"}).error == "--rtscts needs --serial");
  CHECK(parse({"--boot-ms"}).error == "--boot-ms wants a value");
  CHECK(parse({"--factory-identity", "none", "--ads-url", "https://h"}).error ==
        "--factory-identity is for the embedded service (no --ads-url)");
  CHECK(parse({"--serial", "/dev/ttyUSB0", "--baud", "12345"}).error ==
        "--baud 12345 is not a rate the serial device can be set to");
  CHECK(parse({"--console-password-file", "pw", "--ads-url", "https://h"}).error ==
        "--console-password-file is for the embedded service (no --ads-url)");
  CHECK(parse({"--console-password-file", "pw"}).options.console_password_file == std::string("pw"));
  CHECK(parse({"--help"}).asked == cli::request::help);
}

TEST_CASE("options: every flag takes its value as the next argument or after '='") {
  const auto parsed = parse({"--tcp=127.0.0.1:7600", "--boot-ms=0", "--state-dir=/s", "--pty-link", "/tmp/l"});
  REQUIRE(parsed.error.empty());
  CHECK(parsed.options.tcp == std::string("127.0.0.1:7600"));
  CHECK(parsed.options.boot_delay == std::chrono::milliseconds(0));
  CHECK(parsed.options.state_dir == "/s");
  CHECK(parsed.options.pty_link == "/tmp/l");
  CHECK(parse({"--boot-ms=-5"}).error == "--boot-ms wants milliseconds (0..600000), got '-5'");
  CHECK(parse({"--state-dir="}).error == "--state-dir wants a directory");
  CHECK(parse({"--boot-ms", "1", "--boot-ms", "7"}).options.boot_delay == std::chrono::milliseconds(7));
}

TEST_CASE("options: --version, and --help in the common layout listing every flag") {
  const auto version = parse({"--version"});
  CHECK(version.asked == cli::request::version);
  CHECK(version.error.empty());
  CHECK_THAT(cli::version_line("sim7600-emu"), Catch::Matches("sim7600-emu [0-9]+\\.[0-9]+\\.[0-9]+"));
  const std::string usage = sim7600_emu::usage_text();
  CHECK(usage.starts_with("usage: sim7600-emu [flags]\n"));
  for (const char* flag : {"--pty-link PATH", "--serial DEVICE", "--baud N", "--rtscts", "--tcp HOST:PORT",
                           "--control HOST:PORT", "--state-dir DIR", "--ads-url URL", "--ads-ca FILE",
                           "--factory-identity demo|none", "--network auto|manual", "--console-password-file FILE",
                           "--transcript FILE", "--boot-ms N", "-h,--help", "--version"}) {
    INFO(flag);
    CHECK(usage.find(flag) != std::string::npos);
  }
}
