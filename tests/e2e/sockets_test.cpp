// The module's TCP/IP service carried over real sockets to servers on the loopback network, driven on the PTY
// as TinyGSM's SIM7600 driver drives it.
#include <catch2/catch.hpp>

#include "e2e_helpers.hpp"
#include "harness/harness.hpp"
#include "harness/loopback_peer.hpp"

using namespace e2e;

namespace {

// The next thing the host reads is this URC.

// ATE0, context 1 defined, the TCP/IP service opened.
void open_network(host_port& port) {
  REQUIRE(port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(port.command("AT+NETOPEN") == "\r\nOK\r\n");
  expect_urc(port, "+NETOPEN: 0");
}

}  // namespace

TEST_CASE("a TCP connection through CIPOPEN, CIPSEND and CIPRXGET to a loopback server", "[e2e][sockets]") {
  booted_module m;
  tcp_listener server;
  open_network(m.port);
  CHECK(m.port.command("AT+IPADDR") == "\r\n+IPADDR: 10.71.155.118\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+CIPRXGET=1") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + std::to_string(server.port())) == "\r\nOK\r\n");
  tcp_peer peer = server.accept();
  expect_urc(m.port, "+CIPOPEN: 0,0");

  m.port.send("AT+CIPSEND=0,18\r");
  CHECK(m.port.expect("\r\n>") == "\r\n>");
  m.port.send("GET / HTTP/1.0\r\n\r\n");
  CHECK(m.port.read_until("+CIPSEND: 0,18,18\r\n") == "\r\nOK\r\n\r\n+CIPSEND: 0,18,18\r\n");
  CHECK(peer.read_exactly(18) == "GET / HTTP/1.0\r\n\r\n");

  peer.write("HTTP/1.0 200 OK\r\n\r\nhi");
  expect_urc(m.port, "+CIPRXGET: 1,0");
  // The 21 bytes may arrive in more than one segment: read what is there until all came.
  std::string body;
  while (body.size() < 21) {
    std::string answer = m.port.command("AT+CIPRXGET=2,0");
    REQUIRE(answer.starts_with("\r\n+CIPRXGET: 2,0,"));
    const auto data = answer.find("\r\n", 2) + 2;
    body += answer.substr(data, answer.size() - data - std::string_view("\r\n\r\nOK\r\n").size());
    if (body.size() < 21) m.port.read_until("+CIPRXGET: 1,0\r\n");
  }
  CHECK(body == "HTTP/1.0 200 OK\r\n\r\nhi");
  CHECK(m.port.command("AT+CIPRXGET=4,0") == "\r\n+CIPRXGET: 4,0,0\r\n\r\nOK\r\n");

  peer.close();
  expect_urc(m.port, "+IPCLOSE: 0,1");
  CHECK(m.port.command("AT+CIPCLOSE?") == "\r\n+CIPCLOSE: 0,0,0,0,0,0,0,0,0,0\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+NETCLOSE") == "\r\nOK\r\n");
  expect_urc(m.port, "+NETCLOSE: 0");
}

TEST_CASE("bytes from the server are pushed as +RECEIVE and a host close is seen by the server", "[e2e][sockets]") {
  booted_module m;
  tcp_listener server;
  open_network(m.port);
  CHECK(m.port.command("AT+CIPOPEN=4,\"TCP\",\"localhost\"," + std::to_string(server.port())) == "\r\nOK\r\n");
  tcp_peer peer = server.accept();
  expect_urc(m.port, "+CIPOPEN: 4,0");
  peer.write("ping");
  CHECK(m.port.read_until("ping") == "\r\n+RECEIVE,4,4\r\nping");
  CHECK(m.port.command("AT+CIPCLOSE=4") == "\r\nOK\r\n");
  expect_urc(m.port, "+CIPCLOSE: 4,0");
  CHECK(peer.read_exactly(1).empty());  // end of stream
}

TEST_CASE("a refused connection and an unknown host report the manual's errors", "[e2e][sockets]") {
  booted_module m;
  open_network(m.port);
  std::uint16_t closed_port = tcp_listener().port();  // bound once, now free: nothing listens there
  CHECK(m.port.command("AT+CIPOPEN=1,\"TCP\",\"127.0.0.1\"," + std::to_string(closed_port)) == "\r\nOK\r\n");
  expect_urc(m.port, "+CIPOPEN: 1,1");
  CHECK(m.port.command("AT+CIPOPEN=1,\"TCP\",\"no-such-host.invalid\",80") == "\r\nOK\r\n");
  expect_urc(m.port, "+CIPOPEN: 1,11");
  CHECK(m.port.command("AT+CDNSGIP=\"localhost\"") == "\r\n+CDNSGIP: 1,\"localhost\",\"127.0.0.1\"\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+CDNSGIP=\"no-such-host.invalid\"") == "\r\n+CDNSGIP: 0,10\r\n\r\nERROR\r\n");
  CHECK(m.port.command("AT+CIPSEND=0,204800") == "\r\nERROR\r\n");
  CHECK(m.port.command("AT") == "\r\nOK\r\n");
}

TEST_CASE("UDP datagrams through CIPOPEN and CIPSEND to a loopback peer and back", "[e2e][sockets]") {
  booted_module m;
  udp_peer peer;
  open_network(m.port);
  CHECK(m.port.command("AT+CIPOPEN=2,\"UDP\",,,0") == "\r\nOK\r\n");
  expect_urc(m.port, "+CIPOPEN: 2,0");
  m.port.send("AT+CIPSEND=2,4,\"127.0.0.1\"," + std::to_string(peer.port()) + "\r");
  CHECK(m.port.expect("\r\n>") == "\r\n>");
  m.port.send("ping");
  CHECK(m.port.read_until("+CIPSEND: 2,4,4\r\n") == "\r\nOK\r\n\r\n+CIPSEND: 2,4,4\r\n");
  CHECK(peer.receive() == "ping");
  peer.reply("pong");
  CHECK(m.port.read_until("pong") == "\r\n+RECEIVE,2,4\r\npong");
  // The Ctrl-Z form.
  m.port.send("AT+CIPSEND=2,,\"127.0.0.1\"," + std::to_string(peer.port()) + "\r");
  CHECK(m.port.expect("\r\n>") == "\r\n>");
  m.port.send("dgram\x1A");
  CHECK(m.port.read_until("+CIPSEND: 2,5,5\r\n") == "\r\nOK\r\n\r\n+CIPSEND: 2,5,5\r\n");
  CHECK(peer.receive() == "dgram");
}
