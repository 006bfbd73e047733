// The module's MQTT(S) client (AT+CMQTT*) through the real daemon against Debian's mosquitto on loopback: a plain
// and a TLS listener from a config file the test writes, mosquitto_sub seeing what the module published and
// mosquitto_pub heard by the module as +CMQTTRX* URCs; TLS refused with a wrong CA, a broker not listening, and a
// broker killed mid-session.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>

#include "e2e_helpers.hpp"
#include "ads_sim/tls_material.hpp"
#include "common/read_file.hpp"
#include "harness/harness.hpp"
#include "harness/running_program.hpp"

using namespace e2e;

namespace {

// A CA and a server certificate for localhost / 127.0.0.1 (ads-sim's own generator).
struct test_ca {
  temp_dir dir;
  ads_sim::tls_files files;
  test_ca() { REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files)); }
  std::string ca_pem() const { return common::read_file(files.ca_cert).value(); }
};

// mosquitto with a plain listener and a TLS one (the CA's server certificate), both on 127.0.0.1. Its log goes to
// stdout, line-buffered (stdbuf), so the test waits for "running" instead of guessing.
struct broker {
  temp_dir dir;
  std::uint16_t plain_port = free_port();
  std::uint16_t tls_port = free_port();
  std::optional<running_program> program;

  explicit broker(const test_ca& ca) {
    const auto config = dir.path() / "mosquitto.conf";
    std::ofstream(config) << "log_dest stdout\nlog_timestamp false\nallow_anonymous true\n"
                          // as root, mosquitto would switch to a 'mosquitto' user that cannot read the test's files
                          << "user root\n"
                          << "listener " << plain_port << " 127.0.0.1\n"
                          << "listener " << tls_port << " 127.0.0.1\n"
                          << "cafile " << ca.files.ca_cert.string() << "\n"
                          << "certfile " << ca.files.server_cert.string() << "\n"
                          << "keyfile " << ca.files.server_key.string() << "\n";
    program.emplace("stdbuf", std::vector<std::string>{"-oL", "mosquitto", "-c", config.string()});
    for (;;) {
      const auto line = program->next_line();
      REQUIRE(line);  // mosquitto ended or said nothing in time: its stderr says why
      if (line->ends_with(" running")) break;
    }
  }
};

// mosquitto_sub for one message on `topic`, waited for until it has subscribed; prints "got <topic> <payload>".
struct subscriber {
  running_program program;
  subscriber(std::vector<std::string> connection, const std::string& topic)
      : program("stdbuf", [&] {
          std::vector<std::string> args = {"-oL", "mosquitto_sub", "-d", "-t", topic, "-C", "1", "-F", "got %t %p"};
          args.insert(args.end(), connection.begin(), connection.end());
          return args;
        }()) {
    REQUIRE(program.line_starting("Subscribed"));
  }
  std::string message() { return program.line_starting("got ").value_or("(none)"); }
};

// Sends `command`, then `bytes` after its ">" prompt; the answer up to the final result.
std::string with_data(host_port& port, const std::string& command, const std::string& bytes) {
  port.send(command + "\r");
  REQUIRE(port.expect("\r\n>") == "\r\n>");
  port.send(bytes);
  return port.read_final();
}

// ATE0, context 1 defined, the MQTT service started.
void start_mqtt(host_port& port) {
  REQUIRE(port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(port.command("AT+CMQTTSTART") == "\r\nOK\r\n");
  // The data call coming up is news to the ADA agent too (its "status" URC may come first).
  CHECK(port.read_until("+CMQTTSTART: 0\r\n").ends_with("\r\n+CMQTTSTART: 0\r\n"));
}

// Client `index` publishes `payload` on `topic` at QoS 1 and hears the broker's PUBACK.
void publish(host_port& port, int index, const std::string& topic, const std::string& payload) {
  const std::string client = std::to_string(index);
  CHECK(with_data(port, "AT+CMQTTTOPIC=" + client + "," + std::to_string(topic.size()), topic) == "\r\nOK\r\n");
  CHECK(with_data(port, "AT+CMQTTPAYLOAD=" + client + "," + std::to_string(payload.size()), payload) == "\r\nOK\r\n");
  CHECK(port.command("AT+CMQTTPUB=" + client + ",1,60") == "\r\nOK\r\n");
  expect_urc(port, "+CMQTTPUB: " + client + ",0");
}

// Client `index` subscribes to `topic` (the one-shot form) and hears the SUBACK.
void subscribe(host_port& port, int index, const std::string& topic) {
  const std::string client = std::to_string(index);
  CHECK(with_data(port, "AT+CMQTTSUB=" + client + "," + std::to_string(topic.size()) + ",1", topic) == "\r\nOK\r\n");
  expect_urc(port, "+CMQTTSUB: " + client + ",0");
}

// What the host reads for one message the broker forwards.
std::string rx_urcs(int index, const std::string& topic, const std::string& payload) {
  const std::string client = std::to_string(index);
  return "\r\n+CMQTTRXSTART: " + client + "," + std::to_string(topic.size()) + "," + std::to_string(payload.size()) +
         "\r\n\r\n+CMQTTRXTOPIC: " + client + "," + std::to_string(topic.size()) + "\r\n" + topic +
         "\r\n+CMQTTRXPAYLOAD: " + client + "," + std::to_string(payload.size()) + "\r\n" + payload +
         "\r\n+CMQTTRXEND: " + client + "\r\n";
}

}  // namespace

TEST_CASE("MQTT over TCP: mosquitto_sub sees the module's publish, the module hears mosquitto_pub", "[e2e][mqtt]") {
  test_ca ca;
  broker mosquitto(ca);
  const std::string port = std::to_string(mosquitto.plain_port);
  booted_module m;
  start_mqtt(m.port);
  const std::string ada_before = m.port.command("AT+ADA=\"status\"");
  CHECK(m.port.command("AT+CMQTTACCQ=0,\"emu-plain\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTCONNECT=0,\"tcp://127.0.0.1:" + port + "\",60,1") == "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTCONNECT: 0,0");

  subscriber watcher({"-h", "127.0.0.1", "-p", port}, "emu/up");
  publish(m.port, 0, "emu/up", "hello from the module");
  CHECK(watcher.message() == "got emu/up hello from the module");

  subscribe(m.port, 0, "emu/down");
  const auto sent = run_to_exit("mosquitto_pub", {"-h", "127.0.0.1", "-p", port, "-q", "1", "-t", "emu/down", "-m",
                                                  "from the broker"});
  CHECK(sent.exit_code == 0);
  const std::string heard = rx_urcs(0, "emu/down", "from the broker");
  CHECK(m.port.read_until("+CMQTTRXEND: 0\r\n") == heard);

  CHECK(m.port.command("AT+CMQTTDISC=0,120") == "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTDISC: 0,0");
  CHECK(m.port.command("AT+CMQTTREL=0") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTSTOP") == "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTSTOP: 0");
  // The ADA agent saw none of it.
  CHECK(m.port.command("AT+ADA=\"status\"") == ada_before);
}

TEST_CASE("MQTTS: verified with the downloaded CA both ways, refused (32) with a wrong one", "[e2e][mqtt]") {
  test_ca ca;
  test_ca other;
  broker mosquitto(ca);
  const std::string port = std::to_string(mosquitto.tls_port);
  booted_module m;
  start_mqtt(m.port);
  for (const auto& [name, pem] : {std::pair{"ca.pem", ca.ca_pem()}, std::pair{"other.pem", other.ca_pem()}}) {
    m.port.send(std::string("AT+CCERTDOWN=\"") + name + "\"," + std::to_string(pem.size()) + "\r");
    REQUIRE(m.port.expect("\r\n>") == "\r\n>");
    m.port.send(pem);
    REQUIRE(m.port.read_final() == "\r\nOK\r\n");
  }
  for (const char* setting : {"\"authmode\",0,1", "\"cacert\",0,\"ca.pem\"", "\"enableSNI\",0,1",
                              "\"authmode\",1,1", "\"cacert\",1,\"other.pem\""}) {
    REQUIRE(m.port.command(std::string("AT+CSSLCFG=") + setting) == "\r\nOK\r\n");
  }
  CHECK(m.port.command("AT+CMQTTACCQ=1,\"emu-tls\",1") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTSSLCFG=1,0") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTCONNECT=1,\"tcp://localhost:" + port + "\",60,1") == "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTCONNECT: 1,0");

  const std::vector<std::string> over_tls = {"-h", "localhost", "-p", port, "--cafile", ca.files.ca_cert.string()};
  subscriber watcher(over_tls, "emu/tls/up");
  publish(m.port, 1, "emu/tls/up", "sealed");
  CHECK(watcher.message() == "got emu/tls/up sealed");

  subscribe(m.port, 1, "emu/tls/#");
  std::vector<std::string> args = over_tls;
  args.insert(args.end(), {"-q", "1", "-t", "emu/tls/down", "-m", "also sealed"});
  CHECK(run_to_exit("mosquitto_pub", args).exit_code == 0);
  CHECK(m.port.read_until("+CMQTTRXEND: 1\r\n") == rx_urcs(1, "emu/tls/down", "also sealed"));
  CHECK(m.port.command("AT+CMQTTDISC=1,120") == "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTDISC: 1,0");

  // The same broker checked against a CA that did not sign it: the handshake fails.
  CHECK(m.port.command("AT+CMQTTSSLCFG=1,1") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTCONNECT=1,\"tcp://localhost:" + port + "\",60,1") == "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTCONNECT: 1,32");
}

TEST_CASE("MQTT: a broker not listening (3), and a broker killed mid-session (+CMQTTCONNLOST)", "[e2e][mqtt]") {
  test_ca ca;
  booted_module m;
  start_mqtt(m.port);
  CHECK(m.port.command("AT+CMQTTACCQ=0,\"emu-lost\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTCONNECT=0,\"tcp://127.0.0.1:" + std::to_string(free_port()) + "\",60,1") ==
        "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTCONNECT: 0,3");

  broker mosquitto(ca);
  CHECK(m.port.command("AT+CMQTTCONNECT=0,\"tcp://127.0.0.1:" + std::to_string(mosquitto.plain_port) + "\",60,1") ==
        "\r\nOK\r\n");
  expect_urc(m.port, "+CMQTTCONNECT: 0,0");
  mosquitto.program->signal(SIGKILL);
  expect_urc(m.port, "+CMQTTCONNLOST: 0,1");
  CHECK(m.port.command("AT+CMQTTDISC?") == "\r\n+CMQTTDISC: 0,1\r\n+CMQTTDISC: 1,1\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+CMQTTREL=0") == "\r\nOK\r\n");
}
