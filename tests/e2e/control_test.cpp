// sim7600-ctl against a running emulator: each verb implemented here, and what the host sees on the port.
#include <catch2/catch.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "harness/cloud_fixtures.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {

std::string ctl_binary() { return std::string(SIM7600_BIN_DIR) + "/sim7600-ctl"; }

// One raw HTTP/1.1 request on the control socket, as a script with its own client (curl --unix-socket) sends it:
// the status line and the body of the answer ("" when none came within the deadline).
struct raw_answer {
  std::string status_line;
  std::string body;
};
raw_answer post_raw(const emulator& module, const std::string& target, const std::string& body) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = (module.state_dir() / "control.sock").string();
  REQUIRE(path.size() < sizeof address.sun_path);
  path.copy(address.sun_path, path.size());
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const std::string request = "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
                              "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  REQUIRE(::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + default_deadline;
  for (char buffer[4096];;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{fd, POLLIN, 0};
    if (left <= 0ms || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) break;  // the server closes after its answer (Connection: close)
    answer.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  const auto line_end = answer.find("\r\n");
  const auto body_start = answer.find("\r\n\r\n");
  return {answer.substr(0, line_end), body_start == std::string::npos ? "" : answer.substr(body_start + 4)};
}

}  // namespace

TEST_CASE("sim7600-ctl state prints the world, usage errors exit 2", "[e2e][control]") {
  booted_module m;
  finished_run state = run_ctl(m.module, {"state", "--json"});
  CHECK(state.exit_code == 0);
  const auto world = nlohmann::json::parse(state.out);
  CHECK(world["ada"] == nlohmann::json{{"reason", 3}, {"started", false}, {"status", 15}});
  CHECK(world["cloud"] == nlohmann::json{{"fault", "none"}, {"latency_ms", 0}});
  CHECK(world["data_call"] == false);
  CHECK(world["world"]["registration"] == nlohmann::json{{"cs", 1}, {"ps", 1}, {"eps", 1}});
  CHECK(world["world"]["signal"] == nlohmann::json{{"rssi", 23}, {"ber", 99}});
  // Without --json the same world reads as labelled lines.
  const std::string readable = run_ctl(m.module, {"state"}).out;
  INFO(readable);
  CHECK(readable.find("\npowered    yes\n") != std::string::npos);
  CHECK(readable.find("\n  signal        ber 99, rssi 23\n") != std::string::npos);
  CHECK(readable.find("\ncloud      fault none, latency 0 ms\n") != std::string::npos);
  CHECK(readable.find('{') == std::string::npos);
  struct stat socket_stat {};
  REQUIRE(::stat((m.module.state_dir() / "control.sock").c_str(), &socket_stat) == 0);
  CHECK((socket_stat.st_mode & 0777) == 0600);
  finished_run usage = run_ctl(m.module, {"cloud", "latency", "soon"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.err == "sim7600-ctl: ms must be an integer in 0..3600000\n");
  finished_run refused = run_ctl(m.module, {"sim", "insert"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "sim7600-ctl: a SIM is already in the holder\n");
  finished_run nobody = run_to_exit(ctl_binary(), {"--socket", (m.module.folder() / "none.sock").string(), "state"});
  CHECK(nobody.exit_code == 1);
  CHECK(nobody.err.starts_with("sim7600-ctl: cannot reach "));
  CHECK(m.port.command("AT") == "AT\r\r\nOK\r\n");
}

TEST_CASE("sim7600-ctl reboot: the host sees the boot URCs", "[e2e][control]") {
  booted_module m;
  CHECK(run_ctl(m.module, {"reboot"}).exit_code == 0);
  CHECK(m.port.read_until("PB DONE\r\n") == std::string(boot_urcs));
  CHECK(m.port.command("AT") == "AT\r\r\nOK\r\n");
}

TEST_CASE("sim7600-ctl power-cut: the module is gone, boots after --off-ms and keeps only NV", "[e2e][control]") {
  booted_module m;
  start_service(m.port);
  REQUIRE(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"kept\"").ends_with("OK\r\n"));
  CHECK(run_ctl(m.module, {"power-cut", "--off-ms", "100"}).exit_code == 0);
  CHECK(m.port.read_until("PB DONE\r\n") == std::string(boot_urcs));
  // Not started any more (volatile), the value still there (NV).
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/template_version\"") ==
        "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"err\",7,\"err: service not started\"\r\n\r\nERROR\r\n");
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/template_version\"") ==
        "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"oem/template_version\",\"kept\"\r\n\r\nOK\r\n");
}

TEST_CASE("sim7600-ctl data-call drop: the TCP/IP service and the agent lose the link", "[e2e][control]") {
  booted_module m;
  start_service(m.port);
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(m.port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(m.port.command("AT+NETOPEN") == "\r\nOK\r\n");
  REQUIRE(m.port.read_until("+NETOPEN: 0\r\n") == "\r\n+NETOPEN: 0\r\n");
  CHECK(m.port.command("AT+ADA=\"status\"") == "\r\n+ADA: \"status\",15,2\r\n\r\nOK\r\n");
  CHECK(run_ctl(m.module, {"data-call", "drop", "1"}).exit_code == 0);
  CHECK(m.port.read_until("+CAPNET: 1,0\r\n") ==
        "\r\n+ADA: \"status\",15,3\r\n\r\n+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY\r\n\r\n+CAPNET: 1,0\r\n");
  CHECK(m.port.command("AT+NETOPEN?") == "\r\n+NETOPEN: 0\r\n\r\nOK\r\n");
  finished_run again = run_ctl(m.module, {"data-call", "drop"});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "sim7600-ctl: no data call is up\n");
}

TEST_CASE("sim7600-ctl busy and cloud faults on a connected agent", "[e2e][control]") {
  booted_module m({"--network", "auto"});
  auto& port = m.port;
  start_service(port);
  enable_and_listen(port);
  CHECK(port.command("AT+ADA=\"status\"").ends_with("\r\n+ADA: \"status\",1\r\n\r\nOK\r\n"));

  CHECK(run_ctl(m.module, {"busy", "on"}).exit_code == 0);
  CHECK(port.read_until("+ADA: \"status\",8\r\n") == "\r\n+ADA: \"status\",8\r\n");
  CHECK(port.command("AT+ADA=\"s\",\"Blue_LED\",\"b\",\"1\"") ==
        "AT+ADA=\"s\",\"Blue_LED\",\"b\",\"1\"\r\r\n+ADA: \"s\",\"err\",2,\"busy: agent busy\"\r\n\r\nERROR\r\n");
  CHECK(run_ctl(m.module, {"busy", "off"}).exit_code == 0);
  CHECK(port.read_until("+ADA: \"status\",1\r\n") == "\r\n+ADA: \"status\",1\r\n");

  // Each fault: a send still reaches the cloud and its status comes back (late, after a reconnect).
  for (std::vector<std::string> fault : {std::vector<std::string>{"cloud", "latency", "100"}, {"cloud", "cut"},
                                         {"cloud", "restore"}}) {
    INFO(fault[1]);
    CHECK(run_ctl(m.module, fault).exit_code == 0);
    CHECK(port.command("AT+ADA=\"s\",\"Blue_LED\",\"b\",\"1\"").ends_with("OK\r\n"));
    CHECK(port.read_until("+ADA: \"s\",\"Blue_LED\",\"status\",0\r\n", 30s)
              .ends_with("+ADA: \"s\",\"Blue_LED\",\"status\",0\r\n"));
  }
  // No answers: once the request deadline passes the agent reports the link down, and it comes back on restore.
  CHECK(run_ctl(m.module, {"cloud", "blackhole"}).exit_code == 0);
  CHECK(run_ctl(m.module, {"state", "--json"}).out.find("\"fault\":\"blackhole\"") != std::string::npos);
  CHECK(port.command("AT+ADA=\"s\",\"Blue_LED\",\"b\",\"0\"").ends_with("OK\r\n"));
  CHECK(port.read_until("+ADA: \"l\",\"down\"\r\n", 30s).ends_with("+ADA: \"l\",\"down\"\r\n"));
  CHECK(run_ctl(m.module, {"cloud", "restore"}).exit_code == 0);
  CHECK(port.read_until("+ADA: \"l\",\"up\"\r\n", 30s).ends_with("+ADA: \"l\",\"up\"\r\n"));
}

TEST_CASE("the control API on loopback TCP wants the bearer token", "[e2e][control]") {
  booted_module m({"--control", "127.0.0.1:0"});
  std::smatch where;
  const std::string log = m.module.stderr_text();
  REQUIRE(std::regex_search(log, where, std::regex(R"(tcp (127\.0\.0\.1:\d+))")));
  const std::string url = "http://" + where[1].str();
  const auto token_file = m.module.state_dir() / "control-token";
  struct stat token_stat {};
  REQUIRE(::stat(token_file.c_str(), &token_stat) == 0);
  CHECK((token_stat.st_mode & 0777) == 0600);
  finished_run ok = run_to_exit(ctl_binary(), {"--url", url, "--token-file", token_file.string(), "reboot"});
  CHECK(ok.exit_code == 0);
  CHECK(m.port.read_until("PB DONE\r\n") == std::string(boot_urcs));
  const auto wrong = m.module.folder() / "wrong-token";
  { std::ofstream(wrong) << "0123456789\n"; }
  finished_run refused = run_to_exit(ctl_binary(), {"--url", url, "--token-file", wrong.string(), "reboot"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "sim7600-ctl: unauthorized\n");
  CHECK(m.port.read_available(200ms).empty());  // no second reboot
}

TEST_CASE("the control API takes a keyed body and a body of command-line words, and a malformed one gets a clear 400",
          "[e2e][control]") {
  booted_module m;
  // Keyed: the form's sub-word as "action", each argument by its key, typed.
  raw_answer keyed = post_raw(m.module, "/v1/cloud", R"({"action":"latency","ms":250})");
  CHECK(keyed.status_line == "HTTP/1.1 200 OK");
  CHECK(nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out)["cloud"] ==
        nlohmann::json{{"fault", "latency"}, {"latency_ms", 250}});
  // Words: exactly what follows the verb on a sim7600-ctl command line, as strings.
  raw_answer words = post_raw(m.module, "/v1/cloud", R"({"args":["latency","120"]})");
  CHECK(words.status_line == "HTTP/1.1 200 OK");
  CHECK(nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out)["cloud"] ==
        nlohmann::json{{"fault", "latency"}, {"latency_ms", 120}});
  CHECK(post_raw(m.module, "/v1/signal", R"({"args":["5","3"]})").status_line == "HTTP/1.1 200 OK");
  CHECK(m.port.command("AT+CSQ") == "AT+CSQ\r\r\n+CSQ: 5,3\r\n\r\nOK\r\n");

  // Refused, each with its reason, and nothing changed.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"args":["latency")", "the body is not a JSON object"},
      {R"(["latency","120"])", "the body is not a JSON object"},
      {R"({"args":"latency 120"})", "bad value for 'args'"},
      {R"({"args":["latency",120]})", "bad value for 'args'"},
      {R"({"args":["latency","120"],"action":"latency"})", "bad value for 'args'"},
      {R"({"args":["latency","soon"]})", "ms must be an integer in 0..3600000"},
      {R"({"action":"latency","ms":"120"})", "bad value for 'ms'"},
      {R"({"action":"latency"})", "missing 'ms'"},
      {R"({"action":"latency","ms":120,"seconds":1})", "unknown argument 'seconds'"},
      {R"({"action":"sideways"})", "usage: cloud cut | cloud blackhole | cloud latency MS | cloud restore"},
  };
  for (const auto& [body, why] : bad) {
    INFO(body);
    raw_answer refused = post_raw(m.module, "/v1/cloud", body);
    CHECK(refused.status_line == "HTTP/1.1 400 Bad Request");
    CHECK(refused.body == nlohmann::json{{"error", why}}.dump() + "\n");
  }
  CHECK(nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out)["cloud"] ==
        nlohmann::json{{"fault", "latency"}, {"latency_ms", 120}});
}
