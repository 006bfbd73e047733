#include <catch2/catch.hpp>

#include <filesystem>

#include "control/command_line.hpp"
#include "control/control_verbs.hpp"

using sim7600_control::control_world;
using sim7600_control::json;
using sim7600_control::verb_outcome;

namespace {

// Records each call as one line; the radio verbs keep control_world's refusal.
struct recording_world : control_world {
  std::vector<std::string> calls;
  json state() override { return {{"powered", true}}; }
  verb_outcome reboot() override { return note("reboot"); }
  verb_outcome power_cut(std::chrono::milliseconds off) override {
    return note("power-cut " + std::to_string(off.count()));
  }
  verb_outcome cloud(sim7600_control::cloud_fault fault, std::chrono::milliseconds latency) override {
    return note("cloud " + std::to_string(static_cast<int>(fault)) + " " + std::to_string(latency.count()));
  }
  verb_outcome busy(bool on) override { return note(on ? "busy on" : "busy off"); }
  verb_outcome drop_data_call(std::optional<int> cid) override {
    return note("drop " + (cid ? std::to_string(*cid) : std::string("all")));
  }
  verb_outcome note(std::string call) {
    calls.push_back(std::move(call));
    return verb_outcome::done();
  }
};

// The command line words → the request → the world, as the CLI and the server would run them.
verb_outcome run(recording_world& world, std::vector<std::string> words) {
  auto parsed = sim7600_control::parse_command(words);
  REQUIRE(parsed.ok());
  return sim7600_control::handle_request(world, parsed->method, parsed->target, parsed->body.dump());
}

}  // namespace

TEST_CASE("control verbs: each implemented verb from its words to the world") {
  recording_world world;
  CHECK(run(world, {"state"}).body == json{{"powered", true}});
  CHECK(run(world, {"reboot"}).ok());
  CHECK(run(world, {"power-cut"}).ok());
  CHECK(run(world, {"power-cut", "--off-ms", "250"}).ok());
  CHECK(run(world, {"cloud", "cut"}).ok());
  CHECK(run(world, {"cloud", "blackhole"}).ok());
  CHECK(run(world, {"cloud", "latency", "120"}).ok());
  CHECK(run(world, {"cloud", "restore"}).ok());
  CHECK(run(world, {"busy", "on"}).ok());
  CHECK(run(world, {"busy", "off"}).ok());
  CHECK(run(world, {"data-call", "drop"}).ok());
  CHECK(run(world, {"data-call", "drop", "2"}).ok());
  CHECK(world.calls == std::vector<std::string>{"reboot", "power-cut 1000", "power-cut 250", "cloud 0 0", "cloud 1 0",
                                                "cloud 2 120", "cloud 3 0", "busy on", "busy off", "drop all",
                                                "drop 2"});
}

TEST_CASE("control verbs: the request each command line makes") {
  auto request = [](std::vector<std::string> words) { return sim7600_control::parse_command(words).value(); };
  CHECK(request({"state"}).method == "GET");
  CHECK(request({"state"}).target == "/v1/state");
  CHECK(request({"cloud", "latency", "5"}).method == "POST");
  CHECK(request({"cloud", "latency", "5"}).target == "/v1/cloud");
  CHECK(request({"cloud", "latency", "5"}).body == json{{"action", "latency"}, {"ms", 5}});
  CHECK(request({"power-cut", "--off-ms", "7"}).body == json{{"off_ms", 7}});
  CHECK(request({"signal", "20", "3"}).body == json{{"rssi", 20}, {"ber", 3}});
  CHECK(request({"operator", "Test Net", "00101", "7"}).body ==
        json{{"name", "Test Net"}, {"mccmnc", "00101"}, {"act", 7}});
  CHECK(request({"sms", "deliver", "+15551234", "hello there"}).body ==
        json{{"action", "deliver"}, {"from", "+15551234"}, {"text", "hello there"}});
  CHECK(request({"sim", "pin", "1234"}).body == json{{"action", "pin"}, {"pin", "1234"}});
  CHECK(request({"network-time", "2026-01-02T03:04:05Z", "+32"}).body ==
        json{{"time", "2026-01-02T03:04:05Z"}, {"tz", "+32"}});
  CHECK(request({"clock", "skew", "-30"}).body == json{{"action", "skew"}, {"seconds", -30}});
}

TEST_CASE("control verbs: usage errors name what is wrong") {
  auto error = [](std::vector<std::string> words) {
    auto parsed = sim7600_control::parse_command(words);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().reason;
  };
  CHECK(error({}) == "no verb given");
  CHECK(error({"fly"}) == "unknown verb 'fly'");
  CHECK(error({"cloud"}) == "usage: cloud cut | cloud blackhole | cloud latency MS | cloud restore");
  CHECK(error({"cloud", "latency"}) == "usage: cloud latency MS");
  CHECK(error({"cloud", "latency", "fast"}) == "ms must be an integer in 0..3600000");
  CHECK(error({"cloud", "latency", "-1"}) == "ms must be an integer in 0..3600000");
  CHECK(error({"busy", "maybe"}) == "usage: busy on | busy off");
  CHECK(error({"reboot", "now"}) == "usage: reboot");
  CHECK(error({"power-cut", "--off-ms"}) == "usage: power-cut [--OFF-MS OFF_MS]");
  CHECK(error({"data-call", "drop", "25"}) == "cid must be an integer in 1..24");
}

TEST_CASE("control verbs: bad requests are refused and change nothing") {
  recording_world world;
  using sim7600_control::handle_request;
  CHECK(handle_request(world, "POST", "/v1/fly", "").status == 404);
  CHECK(handle_request(world, "POST", "/v2/reboot", "").status == 404);
  CHECK(handle_request(world, "GET", "/v1/reboot", "").status == 405);
  CHECK(handle_request(world, "POST", "/v1/state", "").status == 405);
  CHECK(handle_request(world, "POST", "/v1/cloud", "{not json").body == json{{"error", "the body is not a JSON object"}});
  CHECK(handle_request(world, "POST", "/v1/cloud", "[]").status == 400);
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"action":"melt"})").status == 400);
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"action":"latency"})").body == json{{"error", "missing 'ms'"}});
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"action":"latency","ms":"5"})").status == 400);
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"action":"latency","ms":5,"extra":1})").body ==
        json{{"error", "unknown argument 'extra'"}});
  CHECK(handle_request(world, "POST", "/v1/power-cut", R"({"off_ms":-5})").status == 400);
  CHECK(handle_request(world, "POST", "/v1/busy", R"({"action":1})").body == json{{"error", "bad value for 'action'"}});
  CHECK(handle_request(world, "POST", "/v1/busy", R"({"action":null})").status == 400);
  CHECK(world.calls.empty());
}

TEST_CASE("control verbs: the radio world's verbs are refused until the world model provides them") {
  recording_world world;
  for (std::vector<std::string> words : std::vector<std::vector<std::string>>{
           {"signal", "10"}, {"coverage", "lost"}, {"registration", "eps", "2"}, {"operator", "X", "00101"},
           {"sim", "remove"}, {"clock", "skew", "5"}, {"network-time", "2026-01-01T00:00:00Z"},
           {"sms", "deliver", "+1", "hi"}, {"sms", "sent"}, {"battery", "3700"}, {"temperature", "25"},
           {"ussd", "reply", "*100#", "Balance 5"}, {"ussd", "menu", "*100#", "1 Balance"}, {"call", "incoming", "+1"},
           {"call", "answer"}, {"call", "reject"}, {"call", "busy"}, {"call", "hangup"},
           {"gnss", "fix", "1", "2"}, {"gnss", "route", "/r.gpx"}, {"gnss", "lost"},
           {"cell", "position", "31.2", "121.4"}}) {
    INFO(words[0]);
    verb_outcome outcome = run(world, words);
    CHECK(outcome.status == 409);
    CHECK(outcome.body["error"].get<std::string>().starts_with("not available: "));
  }
}

// Records the GNSS verbs with their typed arguments.
struct gnss_world : recording_world {
  verb_outcome gnss_fix(double latitude, double longitude, std::optional<double> altitude) override {
    return note("fix " + std::to_string(latitude) + " " + std::to_string(longitude) + " " +
                (altitude ? std::to_string(*altitude) : std::string("-")));
  }
  verb_outcome gnss_route(const std::string& file) override { return note("route " + file); }
  verb_outcome gnss_lost() override { return note("lost"); }
};

TEST_CASE("control verbs: gnss fix takes decimal degrees and an optional altitude, route a file, lost nothing") {
  gnss_world world;
  CHECK(run(world, {"gnss", "fix", "-33.8568", "151.2153"}).ok());
  CHECK(run(world, {"gnss", "fix", "48.8584", "2.2945", "-12.5"}).ok());
  CHECK(run(world, {"gnss", "route", "/tracks/a.gpx"}).ok());
  CHECK(run(world, {"gnss", "lost"}).ok());
  // JSON numbers, integers too, in the keyed form.
  CHECK(sim7600_control::handle_request(world, "POST", "/v1/gnss", R"({"action":"fix","lat":10,"lon":-20.5})").ok());
  CHECK(world.calls == std::vector<std::string>{"fix -33.856800 151.215300 -", "fix 48.858400 2.294500 -12.500000",
                                                "route /tracks/a.gpx", "lost", "fix 10.000000 -20.500000 -"});
  using sim7600_control::parse_command;
  CHECK(parse_command({"gnss", "fix", "90.5", "0"}).error().reason == "lat must be a number in -90..90");
  CHECK(parse_command({"gnss", "fix", "0", "1e3"}).error().reason == "lon must be a number in -180..180");
  CHECK(parse_command({"gnss", "fix", "0", "0", "high"}).error().reason == "alt must be a number in -1000..100000");
  CHECK(parse_command({"gnss", "fix", "0"}).error().reason == "usage: gnss fix LAT LON [ALT]");
  CHECK(parse_command({"gnss", "north"}).error().reason == "usage: gnss fix LAT LON [ALT] | gnss route FILE | gnss lost");
  CHECK(sim7600_control::handle_request(world, "POST", "/v1/gnss", R"({"action":"fix","lat":"1","lon":2})").body ==
        json{{"error", "bad value for 'lat'"}});
  CHECK(world.calls.size() == 5);
}

TEST_CASE("sim7600-ctl command line: gnss route's FILE is made absolute from the working directory") {
  const auto env = [](const std::string&) { return std::optional<std::string>("/home/u"); };
  auto relative = sim7600_ctl::parse_ctl_command_line({"gnss", "route", "tracks/../a.gpx"}, env);
  REQUIRE(relative.ok());
  CHECK(relative->args.request.body["file"] == (std::filesystem::current_path() / "a.gpx").string());
  auto absolute = sim7600_ctl::parse_ctl_command_line({"gnss", "route", "/x/a.gpx"}, env);
  CHECK(absolute->args.request.body["file"] == "/x/a.gpx");
}

TEST_CASE("sim7600-ctl command line: where the daemon is, and --json") {
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/u";
    return std::nullopt;
  };
  using sim7600_ctl::parse_ctl_command_line;
  using action = cli::request;
  auto by_default = parse_ctl_command_line({"state"}, env);
  REQUIRE((by_default.ok() && by_default->what == action::run));
  CHECK(by_default->args.endpoint.socket_path == "/home/u/.local/state/sim7600-emu/control.sock");
  CHECK_FALSE(by_default->args.json);
  auto dir = parse_ctl_command_line({"--state-dir", "/s", "busy", "on", "--json"}, env);
  REQUIRE((dir.ok() && dir->what == action::run));
  CHECK(dir->args.endpoint.socket_path == "/s/control.sock");
  CHECK(dir->args.json);
  auto url = parse_ctl_command_line({"--url", "http://127.0.0.1:9000", "--token-file", "/t", "reboot"}, env);
  REQUIRE((url.ok() && url->what == action::run));
  CHECK(url->args.endpoint.host == "127.0.0.1");
  CHECK(url->args.endpoint.port == "9000");
  CHECK(url->args.endpoint.token_file == "/t");
  CHECK(parse_ctl_command_line({"--url", "http://127.0.0.1:9000", "reboot"}, env).error().reason ==
        "--url needs --token-file");
  CHECK(parse_ctl_command_line({"--url", "ftp://x:1", "--token-file", "/t", "reboot"}, env).error().reason ==
        "--url wants http://HOST:PORT, got 'ftp://x:1'");
  CHECK(parse_ctl_command_line({"--socket", "/a", "--state-dir", "/b", "state"}, env).error().reason ==
        "give one of --state-dir, --socket, --url");
  CHECK(parse_ctl_command_line({"--socket"}, env).error().reason == "--socket wants a value");
  CHECK(parse_ctl_command_line({"--help"}, env)->what == action::help);
  const auto no_home = [](const std::string&) { return std::optional<std::string>(); };
  CHECK(parse_ctl_command_line({"state"}, no_home).error().reason ==
        "no --state-dir given and neither XDG_STATE_HOME nor HOME is set");
}

TEST_CASE("sim7600-ctl command line: --flag=value, flags before the verb, --help and --version") {
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/u";
    return std::nullopt;
  };
  using sim7600_ctl::parse_ctl_command_line;
  auto equals = parse_ctl_command_line({"--url=http://127.0.0.1:9000", "--token-file=/t", "--json", "state"}, env);
  REQUIRE(equals.ok());
  CHECK(equals->args.endpoint.port == "9000");
  CHECK(equals->args.endpoint.token_file == "/t");
  CHECK(equals->args.json);
  CHECK(parse_ctl_command_line({"--socket=/a", "state"}, env)->args.endpoint.socket_path == "/a");
  CHECK(parse_ctl_command_line({"--state-dir="}, env).error().reason == "--state-dir wants a value");
  CHECK(parse_ctl_command_line({"--state-dir", ""}, env).error().reason == "--state-dir wants a value");
  // After the verb every word is the verb's: its own flags, and --json wherever it is.
  auto power_cut = parse_ctl_command_line({"--socket", "/a", "power-cut", "--off-ms", "30", "--json"}, env);
  REQUIRE(power_cut.ok());
  CHECK(power_cut->args.request.target == "/v1/power-cut");
  CHECK(power_cut->args.json);
  CHECK(power_cut->args.request.body.dump().find("30") != std::string::npos);
  CHECK_FALSE(parse_ctl_command_line({"--bogus", "state"}, env).ok());
  CHECK_FALSE(parse_ctl_command_line({"state", "--socket", "/a"}, env).ok());
  CHECK(parse_ctl_command_line({"busy", "on", "-h"}, env)->what == cli::request::help);
  CHECK(parse_ctl_command_line({"--version"}, env)->what == cli::request::version);
  const std::string usage = sim7600_ctl::ctl_usage();
  CHECK(usage.starts_with("usage: sim7600-ctl [--state-dir DIR | --socket PATH | --url http://HOST:PORT"));
  for (const char* flag : {"--state-dir DIR", "--socket PATH", "--url http://HOST:PORT", "--token-file FILE", "--json",
                           "-h,--help", "--version", "power-cut"}) {
    INFO(flag);
    CHECK(usage.find(flag) != std::string::npos);
  }
}

TEST_CASE("control verbs: a body of command-line words ({\"args\":[...]}) runs as the CLI would") {
  recording_world world;
  using sim7600_control::handle_request;
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"args":["latency","200"]})").ok());
  CHECK(handle_request(world, "POST", "/v1/power-cut", R"({"args":["--off-ms","30"]})").ok());
  CHECK(handle_request(world, "POST", "/v1/reboot", R"({"args":[]})").ok());
  CHECK(world.calls == std::vector<std::string>{"cloud 2 200", "power-cut 30", "reboot"});
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"args":["latency"]})").body ==
        json{{"error", "usage: cloud latency MS"}});
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"args":["latency",200]})").status == 400);
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"args":"cut"})").status == 400);
  CHECK(handle_request(world, "POST", "/v1/cloud", R"({"args":["cut"],"action":"cut"})").status == 400);
  CHECK(world.calls.size() == 3);
}

TEST_CASE("control verbs: cell position takes two texts and an optional accuracy in metres") {
  auto line = sim7600_control::parse_command({"cell", "position", "-33.856784", "151.215297", "120"});
  REQUIRE(line.ok());
  CHECK(line->target == "/v1/cell");
  CHECK(line->body == json{{"action", "position"}, {"lat", "-33.856784"}, {"lon", "151.215297"}, {"acc", 120}});
  CHECK(sim7600_control::parse_command({"cell", "position", "1", "2"}).ok());
  CHECK(sim7600_control::parse_command({"cell", "position", "1"}).error().reason ==
        "usage: cell position LAT LON [ACC]");
  CHECK(sim7600_control::parse_command({"cell", "position", "1", "2", "0"}).error().reason ==
        "acc must be an integer in 1..100000");
  CHECK(sim7600_control::parse_command({"cell", "moved"}).error().reason == "usage: cell position LAT LON [ACC]");
}
