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

// The options of a command line that must be valid.
sim7600_emu::emulator_options options_of(std::vector<std::string> args) {
  const auto parsed = parse(std::move(args));
  INFO((parsed ? std::string() : parsed.error().reason));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->what == cli::request::run);
  return parsed->args;
}

std::string error_of(std::vector<std::string> args) {
  const auto parsed = parse(std::move(args));
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().reason;
}

}  // namespace

TEST_CASE("options: the defaults of SPEC §1") {
  const auto options = options_of({});
  CHECK(options.pty_link == "/tmp/ttySIM7600");
  CHECK(options.state_dir == "/home/dev/.local/state/sim7600-emu");
  CHECK(options.boot_delay == std::chrono::milliseconds(2000));
  CHECK_FALSE(options.ads_url);
  CHECK(options.factory_identity);
}

TEST_CASE("options: the network comes up by itself with the embedded service, by the host's AT commands otherwise") {
  CHECK(options_of({}).effective_network() == network_mode::automatic);
  CHECK(options_of({"--ads-url", "https://127.0.0.1:8443"}).effective_network() == network_mode::manual);
  CHECK(options_of({"--network", "manual"}).effective_network() == network_mode::manual);
  CHECK(options_of({"--ads-url", "https://h", "--network=auto"}).effective_network() == network_mode::automatic);
  CHECK(error_of({"--network", "sometimes"}) == "--network wants auto or manual, got 'sometimes'");
}

TEST_CASE("options: bad flags are refused with one clear reason") {
  CHECK(error_of({"--nope"}) == "unknown flag '--nope' (see --help)");
  CHECK(error_of({"stray"}) == "unknown flag 'stray' (see --help)");
  CHECK(error_of({"--tcp", "nohostport"}) == "--tcp wants HOST:PORT, got 'nohostport'");
  CHECK(error_of({"--ads-url", "http://x"}) == "--ads-url wants an https:// URL, got 'http://x'");
  CHECK(error_of({"--ads-ca", "ca.pem"}) == "--ads-ca needs --ads-url");
  CHECK(error_of({"--rtscts"}) == "--rtscts needs --serial");
  CHECK(error_of({"--boot-ms"}) == "--boot-ms wants a value");
  CHECK(error_of({"--factory-identity", "none", "--ads-url", "https://h"}) ==
        "--factory-identity is for the embedded service (no --ads-url)");
  CHECK(error_of({"--serial", "/dev/ttyUSB0", "--baud", "12345"}) ==
        "--baud 12345 is not a rate the serial device can be set to");
  CHECK(error_of({"--console-password-file", "pw", "--ads-url", "https://h"}) ==
        "--console-password-file is for the embedded service (no --ads-url)");
  CHECK(options_of({"--console-password-file", "pw"}).console_password_file == std::string("pw"));
  CHECK(error_of({"--nmea-link="}) == "--nmea-link wants a path");
  CHECK(error_of({"--nmea-link", "/tmp/ttySIM7600"}) == "--nmea-link and --pty-link name the same path");
  CHECK(error_of({"--pty-link", "/tmp/a", "--nmea-link", "/tmp/a"}) == "--nmea-link and --pty-link name the same path");
  CHECK(options_of({"--nmea-link", "/tmp/nmea"}).nmea_link == std::string("/tmp/nmea"));
  CHECK_FALSE(options_of({}).nmea_link);
}

TEST_CASE("options: every flag takes its value as the next argument or after '='") {
  const auto options = options_of({"--tcp=127.0.0.1:7600", "--boot-ms=0", "--state-dir=/s", "--pty-link", "/tmp/l"});
  CHECK(options.tcp == std::string("127.0.0.1:7600"));
  CHECK(options.boot_delay == std::chrono::milliseconds(0));
  CHECK(options.state_dir == "/s");
  CHECK(options.pty_link == "/tmp/l");
  CHECK(error_of({"--boot-ms=-5"}) == "--boot-ms wants milliseconds (0..600000), got '-5'");
  CHECK(error_of({"--state-dir="}) == "--state-dir wants a directory");
  CHECK(options_of({"--boot-ms", "1", "--boot-ms", "7"}).boot_delay == std::chrono::milliseconds(7));
}

TEST_CASE("options: --ntp-port names where AT+CNTP's queries go, 123 unless given") {
  CHECK(options_of({}).ntp_port == 123);
  CHECK(options_of({"--ntp-port", "12345"}).ntp_port == 12345);
  CHECK(options_of({"--ntp-port=1"}).ntp_port == 1);
  for (const std::string bad : {"0", "65536", "-1", "ntp"}) {
    INFO(bad);
    CHECK(error_of({"--ntp-port=" + bad}) == "--ntp-port wants a port (1..65535), got '" + bad + "'");
  }
}

TEST_CASE("options: --help and --version win over a bad flag, --help in the common layout listing every flag") {
  CHECK(parse({"--help"})->what == cli::request::help);
  CHECK(parse({"-h", "--nope"})->what == cli::request::help);
  CHECK(parse({"--version"})->what == cli::request::version);
  CHECK_THAT(cli::version_line("sim7600-emu"), Catch::Matches("sim7600-emu [0-9]+\\.[0-9]+\\.[0-9]+"));
  const std::string usage = sim7600_emu::usage_text();
  CHECK(usage.starts_with("usage: sim7600-emu [flags]\n"));
  for (const char* flag : {"--pty-link PATH", "--nmea-link PATH", "--serial DEVICE", "--baud N", "--rtscts", "--tcp HOST:PORT",
                           "--control HOST:PORT", "--state-dir DIR", "--ads-url URL", "--ads-ca FILE",
                           "--factory-identity demo|none", "--network auto|manual", "--console-password-file FILE",
                           "--transcript FILE", "--boot-ms N", "--ntp-port N", "-h,--help", "--version"}) {
    INFO(flag);
    CHECK(usage.find(flag) != std::string::npos);
  }
}
