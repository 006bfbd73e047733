// AT+CNTP against a real NTP server on loopback (the emulator's --ntp-port), the clock AT+CCLK then reads, and
// AT+CLBS after sim7600-ctl's `cell position`.
#include <catch2/catch.hpp>

#include "harness/harness.hpp"
#include "harness/loopback_peer.hpp"

using namespace e2e;

namespace {

constexpr std::int64_t server_time = 1'893'553'445;  // 2030-01-02 03:04:05 UTC

// ATE0, context 1 defined, the TCP/IP service (and with it the data call) opened.
void open_network(host_port& port) {
  REQUIRE(port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(port.command("AT+NETOPEN") == "\r\nOK\r\n");
  REQUIRE(port.read_until("+NETOPEN: 0\r\n") == "\r\n+NETOPEN: 0\r\n");
}

}  // namespace

TEST_CASE("AT+CNTP asks a real NTP server over UDP and sets the clock AT+CCLK reads", "[e2e][ntp]") {
  ntp_responder server;
  booted_module m({"--ntp-port", std::to_string(server.port())});
  open_network(m.port);
  CHECK(m.port.command("AT+CNTP=\"127.0.0.1\",32") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CNTP?") == "\r\n+CNTP: \"127.0.0.1\",32\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+CNTP") == "\r\nOK\r\n");
  const std::string request = server.answer_next(server_time);
  REQUIRE(request.size() == 48);
  CHECK(static_cast<unsigned char>(request[0]) == 0x23);  // NTPv4, client mode
  CHECK(m.port.read_until("+CNTP: 0\r\n") == "\r\n+CNTP: 0\r\n");
  // UTC+8 (32 quarters); a second may pass between the answer and the question.
  const std::string clock = m.port.command("AT+CCLK?");
  INFO(clock);
  CHECK((clock == "\r\n+CCLK: \"30/01/02,11:04:05+32\"\r\n\r\nOK\r\n" ||
         clock == "\r\n+CCLK: \"30/01/02,11:04:06+32\"\r\n\r\nOK\r\n"));
}

TEST_CASE("AT+CNTP without a data call reports the network error and sends nothing", "[e2e][ntp]") {
  ntp_responder server;
  booted_module m({"--ntp-port", std::to_string(server.port())});
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  CHECK(m.port.command("AT+CNTP=\"127.0.0.1\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CNTP") == "\r\nOK\r\n");
  CHECK(m.port.read_until("+CNTP: 4\r\n") == "\r\n+CNTP: 4\r\n");
  CHECK(server.answer_next(server_time, milliseconds(300)).empty());
  CHECK(m.port.command("AT") == "\r\nOK\r\n");
}

TEST_CASE("AT+CLBS answers where sim7600-ctl's cell position put the cell", "[e2e][location]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  CHECK(m.port.command("AT+CLBS=1,1") == "\r\n+CLBS: 3\r\n\r\nOK\r\n");  // no data call yet
  REQUIRE(m.port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(m.port.command("AT+NETOPEN") == "\r\nOK\r\n");
  REQUIRE(m.port.read_until("+NETOPEN: 0\r\n") == "\r\n+NETOPEN: 0\r\n");
  CHECK(m.port.command("AT+CLBS=1,1") == "\r\n+CLBS: 0,31.230416,121.473701,550\r\n\r\nOK\r\n");

  const finished_run moved = run_ctl(m.module, {"cell", "position", "48.858370", "2.294481", "120"});
  INFO(moved.err);
  REQUIRE(moved.exit_code == 0);
  CHECK(moved.out.empty());
  CHECK(m.port.command("AT+CLBS=1,1") == "\r\n+CLBS: 0,48.858370,2.294481,120\r\n\r\nOK\r\n");
  const std::string with_time = m.port.command("AT+CLBS=4,1");
  CHECK(with_time.starts_with("\r\n+CLBS: 0,48.858370,2.294481,120,20"));
  CHECK(with_time.ends_with("\r\n\r\nOK\r\n"));

  const finished_run state = run_ctl(m.module, {"state"});
  const auto cell_line = state.out.find("\n  cell ");  // under "world"
  REQUIRE(cell_line != std::string::npos);
  CHECK(state.out.find(" accuracy 120 m, latitude 48.85837, longitude 2.294481\n", cell_line) != std::string::npos);
  const finished_run json_state = run_ctl(m.module, {"state", "--json"});
  CHECK(json_state.out.find("\"cell\":{\"accuracy_m\":120,\"latitude\":48.85837,\"longitude\":2.294481}") !=
        std::string::npos);

  const finished_run refused = run_ctl(m.module, {"cell", "position", "91", "0"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "sim7600-ctl: LAT is decimal degrees in -90..90\n");
  CHECK(run_ctl(m.module, {"cell", "position", "0", "east"}).err ==
        "sim7600-ctl: LON is decimal degrees in -180..180\n");
  CHECK(run_ctl(m.module, {"cell", "position", "0", "0", "0"}).exit_code == 2);  // ACC is 1..100000
  CHECK(m.port.command("AT+CLBS=1,1") == "\r\n+CLBS: 0,48.858370,2.294481,120\r\n\r\nOK\r\n");  // unchanged
}
