// ads-sim serves as many connections as its descriptors allow: a shell's soft limit of 1,024 is raised to the hard
// one, so a fleet's thousands of modules are not refused at the 1,025th; --max-connections asks for a number, and
// one past the hard limit stops the program with the numbers named.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <vector>

#include "common/descriptor_limit.hpp"
#include "harness/harness.hpp"
#include "harness/running_program.hpp"

namespace {

// A plain TCP connection to 127.0.0.1:port, held open (ads-sim counts it from its accept, before any TLS).
int tcp_connection(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

}  // namespace

TEST_CASE("ads-sim under a soft limit of 1,024 serves past 1,024 connections", "[e2e][ads-sim][limits]") {
  constexpr int held = 1100;
  REQUIRE(common::raise_descriptor_limit(held + 256, "this test needs"));
  e2e::temp_dir dir;
  e2e::running_program service("/usr/bin/prlimit", {"--nofile=1024:4096", "--", e2e::program_beside_me("ads-sim"), "--listen",
                                           "127.0.0.1:0", "--data-dir", (dir.path() / "ads").string()});
  const auto ready = service.line_starting("ads-sim ready");
  REQUIRE(ready);
  std::smatch url;
  REQUIRE(std::regex_search(*ready, url, std::regex(R"(https://127\.0\.0\.1:(\d+))")));
  std::vector<int> connections;
  for (int i = 0; i < held; ++i) connections.push_back(tcp_connection(std::stoi(url[1].str())));
  // The next one, past 1,100 held: a whole HTTPS request by a client nobody here wrote.
  const auto health = e2e::run_to_exit(
      "/usr/bin/curl", {"--silent", "--show-error", "--max-time", "20", "--cacert",
                        (dir.path() / "ads" / "ca.pem").string(), url[0].str() + "/healthz"});
  for (const int fd : connections) ::close(fd);
  CHECK(health.exit_code == 0);
  CHECK(nlohmann::json::parse(health.out, nullptr, false).value("status", "") == "ok");
  CHECK(service.err().find("connection refused") == std::string::npos);
}

TEST_CASE("ads-sim --max-connections past the hard limit stops with the numbers named", "[e2e][ads-sim][limits]") {
  e2e::temp_dir dir;
  const auto run = e2e::run_to_exit("/usr/bin/prlimit", {"--nofile=1024:4096", "--", e2e::program_beside_me("ads-sim"),
                                                "--listen", "127.0.0.1:0", "--data-dir", (dir.path() / "ads").string(),
                                                "--max-connections", "5000"});
  CHECK(run.exit_code == 1);
  CHECK(run.err == "ads-sim: --max-connections 5000 needs 5256 file descriptors and the hard limit is 4096 (raise it: "
                   "ulimit -Hn, or LimitNOFILE=)\n");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "ads"));  // refused before anything was made
}
