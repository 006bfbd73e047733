// sim7600-fleet's command line (SPEC §9) as scripts rely on it: the flags taken, and each refused line's one reason.
#include <catch2/catch.hpp>

#include "fleet/fleet_options.hpp"

using fleet::parse_command_line;

namespace {

// The options of a command line that must be valid.
fleet::fleet_options options_of(const std::vector<std::string>& args) {
  const auto parsed = parse_command_line(args);
  INFO((parsed ? std::string() : parsed.error().reason));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->what == cli::request::run);
  return parsed->args;
}

std::string error_of(const std::vector<std::string>& args) {
  const auto parsed = parse_command_line(args);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().reason;
}

// A valid line with `more` after the two required flags.
std::vector<std::string> with(std::vector<std::string> more) {
  std::vector<std::string> args = {"--state-dir", "fleet-state", "--count", "20"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("fleet options: --state-dir and --count alone run the embedded service, every other flag at its default") {
  const auto options = options_of(with({}));
  CHECK(options.state_dir == "fleet-state");
  CHECK(options.count == 20);
  CHECK_FALSE(options.ads_url);
  CHECK_FALSE(options.ads_ca);
  CHECK_FALSE(options.admin_token_file);
  CHECK_FALSE(options.oem);
  CHECK(options.model == "sim7600-fleet");
  CHECK(options.seed == 1);
  CHECK(options.ports.empty());
  CHECK_FALSE(options.junit);
  CHECK_FALSE(options.summary);
  CHECK_FALSE(options.fleet_file);
  CHECK_FALSE(options.json);
}

TEST_CASE("fleet options: every flag taken, the fleet file as the operand, --flag=value alike") {
  const auto options = options_of({"--state-dir=/var/fleet", "--count=10000", "--ads-url", "https://ads.example:8443",
                                   "--ads-ca", "ca.pem", "--admin-token-file", "token", "--oem", "0dfc7900",
                                   "--model", "tracker", "--seed", "18446744073709551615", "--port",
                                   "AC000W000000002=/tmp/ttyFLEET", "--port", "AC000W000000003=127.0.0.1:7000",
                                   "--junit", "fleet.xml", "--summary", "fleet.json", "--json", "rehearsal.yaml"});
  CHECK(options.state_dir == "/var/fleet");
  CHECK(options.count == 10000);
  CHECK(options.ads_url == "https://ads.example:8443");
  CHECK(options.ads_ca == "ca.pem");
  CHECK(options.admin_token_file == "token");
  CHECK(options.oem == "0dfc7900");
  CHECK(options.model == "tracker");
  CHECK(options.seed == 18446744073709551615ull);
  CHECK(options.ports == std::map<std::string, std::string>{{"AC000W000000002", "/tmp/ttyFLEET"},
                                                            {"AC000W000000003", "127.0.0.1:7000"}});
  CHECK(options.junit == "fleet.xml");
  CHECK(options.summary == "fleet.json");
  CHECK(options.json);
  CHECK(options.fleet_file == "rehearsal.yaml");
}

TEST_CASE("fleet options: --state-dir and --count are required") {
  CHECK(error_of({"--count", "3"}) == "--state-dir DIR is required (see --help)");
  CHECK(error_of({"--state-dir", "fleet-state"}) == "--count N is required (see --help)");
  CHECK(error_of({}) == "--state-dir DIR is required (see --help)");
}

TEST_CASE("fleet options: --count is a number of modules from 1 to 100000") {
  CHECK(options_of({"--state-dir", "s", "--count", "1"}).count == 1);
  CHECK(options_of({"--state-dir", "s", "--count", "100000"}).count == 100000);
  for (const char* bad : {"0", "100001", "-1", "ten", "", "3x", " 3", "1e3", "99999999999999999999999"})
    CHECK(error_of({"--state-dir", "s", "--count", bad}) ==
          std::string("--count wants a number of modules from 1 to 100000, got '") + bad + "'");
}

TEST_CASE("fleet options: --seed is a whole number, 0 included") {
  CHECK(options_of(with({"--seed", "0"})).seed == 0);
  CHECK(options_of(with({"--seed", "7"})).seed == 7);
  for (const char* bad : {"-1", "seven", "1.5", "18446744073709551616", ""})
    CHECK(error_of(with({"--seed", bad})) == std::string("--seed wants a whole number, got '") + bad + "'");
}

TEST_CASE("fleet options: --port is DSN=PATH or DSN=HOST:PORT, the last one given for a DSN kept") {
  CHECK(options_of(with({"--port", "AC1=/tmp/a", "--port", "AC1=/tmp/b"})).ports.at("AC1") == "/tmp/b");
  CHECK(options_of(with({"--port", "AC1=a=b"})).ports.at("AC1") == "a=b");  // the first '=' ends the DSN
  for (const char* bad : {"AC000W000000002", "=/tmp/ttyFLEET", "AC000W000000002=", "="})
    CHECK(error_of(with({"--port", bad})) == std::string("--port wants DSN=PATH or DSN=HOST:PORT, got '") + bad + "'");
}

TEST_CASE("fleet options: a --port value is a TCP endpoint only as HOST:PORT, otherwise a PTY link path") {
  CHECK(fleet::is_tcp_endpoint("127.0.0.1:7000"));
  CHECK(fleet::is_tcp_endpoint("localhost:0"));
  CHECK(fleet::is_tcp_endpoint("0.0.0.0:65535"));
  CHECK_FALSE(fleet::is_tcp_endpoint("/tmp/ttyFLEET"));
  CHECK_FALSE(fleet::is_tcp_endpoint("/tmp/odd:7000"));  // a path with a colon is still a path
  CHECK_FALSE(fleet::is_tcp_endpoint("ttyFLEET"));
  CHECK_FALSE(fleet::is_tcp_endpoint(":7000"));
  CHECK_FALSE(fleet::is_tcp_endpoint("host:65536"));
  CHECK_FALSE(fleet::is_tcp_endpoint("host:port"));
}

TEST_CASE("fleet options: --ads-url needs --admin-token-file, and --ads-ca or the token file need --ads-url") {
  CHECK(error_of(with({"--ads-url", "https://ads.example"})) ==
        "--ads-url needs --admin-token-file (the fleet makes its devices and jobs)");
  CHECK(error_of(with({"--ads-url", "https://ads.example", "--ads-ca", "ca.pem"})) ==
        "--ads-url needs --admin-token-file (the fleet makes its devices and jobs)");
  CHECK(error_of(with({"--ads-ca", "ca.pem"})) == "--ads-ca and --admin-token-file go with --ads-url");
  CHECK(error_of(with({"--admin-token-file", "token"})) == "--ads-ca and --admin-token-file go with --ads-url");
  const auto options = options_of(with({"--ads-url", "https://ads.example", "--admin-token-file", "token"}));
  CHECK(options.ads_url == "https://ads.example");
  CHECK_FALSE(options.ads_ca);  // the system's CAs
}

TEST_CASE("fleet options: other mistakes, each with one reason") {
  CHECK(error_of(with({"--model", ""})) == "--model wants a name");
  CHECK(error_of(with({"--nope"})) == "unknown flag '--nope' (see --help)");
  CHECK(error_of(with({"one.yaml", "two.yaml"})) == "unknown flag 'two.yaml' (see --help)");
  CHECK(error_of({"--state-dir", "s", "--count"}) == "--count wants a value");
}

TEST_CASE("fleet options: --help and --version win over a bad line, --help listing every flag") {
  CHECK(parse_command_line({"--help"})->what == cli::request::help);
  CHECK(parse_command_line({"--count", "0", "-h"})->what == cli::request::help);
  CHECK(parse_command_line({"--version"})->what == cli::request::version);
  CHECK(parse_command_line({"--nope", "--version"})->what == cli::request::version);
  const std::string help = fleet::usage_text();
  CHECK(help.rfind("usage: sim7600-fleet --state-dir DIR --count N [flags] [FLEET-FILE]\n", 0) == 0);
  for (const char* flag : {"-h,--help", "--version", "--state-dir DIR", "--count N", "--ads-url URL", "--ads-ca FILE",
                           "--admin-token-file FILE", "--oem ID", "--model NAME", "--seed S", "--port DSN=PATH",
                           "--junit FILE", "--summary FILE", "--json"})
    CHECK(help.find(flag) != std::string::npos);
}

TEST_CASE("fleet options: --shard I/N, or /N with I from JOB_COMPLETION_INDEX", "[fleet][shard]") {
  CHECK_FALSE(options_of(with({})).shard);
  CHECK(options_of(with({"--shard", "0/1"})).shard == fleet::shard_position{0, 1});
  CHECK(options_of(with({"--shard", "3/4"})).shard == fleet::shard_position{3, 4});
  CHECK(options_of(with({"--shard=19/20"})).shard == fleet::shard_position{19, 20});
  const fleet::environment pod{"2"};
  const auto parsed = parse_command_line(with({"--shard", "/4"}), pod);
  REQUIRE(parsed.ok());
  CHECK(parsed->args.shard == fleet::shard_position{2, 4});
  // An explicit index wins over the environment's.
  CHECK(parse_command_line(with({"--shard", "1/4"}), pod)->args.shard == fleet::shard_position{1, 4});
  CHECK(std::string(fleet::shard_index_variable) == "JOB_COMPLETION_INDEX");
}

TEST_CASE("fleet options: a bad --shard is refused with its reason", "[fleet][shard]") {
  const std::string grammar = "--shard wants I/N (shard I of N, from 0) or /N (I from JOB_COMPLETION_INDEX), got '";
  for (const char* bad : {"4", "", "a/4", "1/b", "1/", "-1/4", "1/4/2", "1 /4", "/"})
    CHECK(error_of(with({"--shard", bad})) == grammar + bad + "'");
  CHECK(error_of(with({"--shard", "4/4"})) == "--shard 4/4: shard 4 is not one of the 4 shards (0 to 3)");
  CHECK(error_of(with({"--shard", "0/0"})) == "--shard 0/0: a fleet is split into at least 1 shard");
  CHECK(error_of(with({"--shard", "0/21"})) ==
        "--shard 0/21 with --count 20: 21 shards of 20 modules would leave a shard with none");
  CHECK(error_of(with({"--shard", "/4"})) ==
        "--shard /4 takes the shard index from JOB_COMPLETION_INDEX, which is not set (give I/4)");
  const auto refused = [](const char* index) {
    const auto parsed = parse_command_line(with({"--shard", "/4"}), fleet::environment{index});
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().reason;
  };
  CHECK(refused("4") == "--shard /4: JOB_COMPLETION_INDEX 4 is not one of the 4 shards (0 to 3)");
  CHECK(refused("") == "JOB_COMPLETION_INDEX is '', not a shard index (0, 1, ...)");
  CHECK(refused("one") == "JOB_COMPLETION_INDEX is 'one', not a shard index (0, 1, ...)");
}

TEST_CASE("fleet options: merge takes the summaries, --junit OUT and --json, and nothing of a run", "[fleet][merge]") {
  const auto parsed = parse_command_line({"merge", "s0.json", "s1.json", "--junit", "all.xml", "--json"});
  REQUIRE(parsed.ok());
  REQUIRE(parsed->args.merge);
  CHECK(parsed->args.merge->summaries == std::vector<std::string>{"s0.json", "s1.json"});
  CHECK(parsed->args.merge->junit == "all.xml");
  CHECK(parsed->args.merge->json);
  const auto plain = parse_command_line({"merge", "s0.json"});
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->args.merge->json);
  CHECK_FALSE(plain->args.merge->junit);
  CHECK_FALSE(options_of(with({})).merge);
  CHECK(error_of({"merge"}) == "merge wants the shards' summaries: sim7600-fleet merge SUMMARY... [--junit OUT] [--json]");
  CHECK(error_of({"merge", "s0.json", "--count", "3"}) == "unknown flag '--count' (see --help)");
  const std::string help = fleet::usage_text();
  CHECK(help.find("sim7600-fleet merge SUMMARY... [--junit OUT] [--json]") != std::string::npos);
  CHECK(help.find("--shard I/N") != std::string::npos);
}
