#include <catch2/catch.hpp>

#include <vector>

#include "agent/module_core.hpp"
#include "agent/radio_world.hpp"
#include "agent/socket_service.hpp"
#include "agent_test_support.hpp"
#include "network_test_rig.hpp"

using agent::ip_error;
using agent::socket_id;
using apca::timer_id;

namespace {

struct socket_rig : agent_test::network_rig {
  using network_rig::network_rig;
  agent::socket_service& sockets() { return module.sockets(); }

  // NETOPEN, then a TCP link `link` to 127.0.0.1:7 connected; returns its socket id.
  socket_id open_tcp(int link = 0) {
    if (feed("AT+NETOPEN?\r") == "\r\n+NETOPEN: 0\r\n\r\nOK\r\n") {
      REQUIRE(feed("AT+NETOPEN\r") == "\r\nOK\r\n\r\n+NETOPEN: 0\r\n");
    }
    REQUIRE(feed("AT+CIPOPEN=" + std::to_string(link) + ",\"TCP\",\"127.0.0.1\",7\r") == "\r\nOK\r\n");
    socket_id id = io.opens.back().id;
    sockets().on_opened(id, ip_error::none);
    REQUIRE(output() == "\r\n+CIPOPEN: " + std::to_string(link) + ",0\r\n");
    return id;
  }
};

}  // namespace

TEST_CASE("sockets: NETOPEN, NETOPEN?, IPADDR, NETCLOSE and their refusals") {
  socket_rig rig;
  CHECK(rig.feed("AT+NETOPEN?\r") == "\r\n+NETOPEN: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+IPADDR\r") == "\r\n+IP ERROR: Network not opened\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+NETCLOSE\r") == "\r\n+IP ERROR: Network not opened\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+NETOPEN\r") == "\r\nOK\r\n\r\n+NETOPEN: 0\r\n");
  CHECK(rig.feed("AT+NETOPEN?\r") == "\r\n+NETOPEN: 1\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+NETOPEN\r") == "\r\n+IP ERROR: Network is already opened\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+IPADDR\r") == "\r\n+IPADDR: 10.71.155.118\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+NETOPEN=?\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+NETOPEN=1\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+NETCLOSE\r") == "\r\nOK\r\n\r\n+NETCLOSE: 0\r\n");
  CHECK(rig.feed("AT+NETOPEN?\r") == "\r\n+NETOPEN: 0\r\n\r\nOK\r\n");
}

TEST_CASE("sockets: NETOPEN dials context 1 itself, and fails without one") {
  socket_rig rig(false);
  CHECK(rig.feed("AT+NETOPEN\r") == "\r\nOK\r\n\r\n+NETOPEN: 1\r\n");
  CHECK(rig.feed("AT+CGDCONT=1,\"IP\",\"internet\"\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+NETOPEN\r") == "\r\nOK\r\n\r\n+NETOPEN: 0\r\n");
  CHECK(rig.module.data_call_up());
  CHECK(rig.feed("AT+CAPNET?\r") == "\r\n+CAPNET: 1,1\r\n\r\nOK\r\n");
}

TEST_CASE("sockets: settings rows answer their test, read and set forms") {
  socket_rig rig;
  CHECK(rig.feed("AT+CIPMODE=?\r") == "\r\n+CIPMODE: (0-1)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPMODE?\r") == "\r\n+CIPMODE: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPMODE=0\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPMODE=2\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPSENDMODE=0\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPSENDMODE?\r") == "\r\n+CIPSENDMODE: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPSENDMODE=\"1\"\r") == "\r\nERROR\r\n");  // wrong type
  CHECK(rig.feed("AT+CIPCCFG?\r") == "\r\n+CIPCCFG: 10,0,0,1,1,0,500\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPCCFG=10,0,0,0,1,0,75000\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPCCFG?\r") == "\r\n+CIPCCFG: 10,0,0,0,1,0,75000\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPCCFG=11\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPCCFG=?\r") ==
        "\r\n+CIPCCFG: (0-10),(0-1000),(0-1),(0-1),(0-1),(0-1),(500-120000)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPTIMEOUT?\r") == "\r\n+CIPTIMEOUT: 120000,120000,120000\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPTIMEOUT=75000,15000,15000\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPTIMEOUT?\r") == "\r\n+CIPTIMEOUT: 75000,15000,15000\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPTIMEOUT=0\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPRXGET?\r") == "\r\n+CIPRXGET: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET?\r") == "\r\n+CIPRXGET: 1\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=5\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPOPEN=?\r") == "\r\n+CIPOPEN: (0-9),(\"TCP\",\"UDP\")\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPSEND=?\r") == "\r\n+CIPSEND: (0-9),(1-1500)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPCLOSE=?\r") == "\r\n+CIPCLOSE: (0-9)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=?\r") == "\r\n+CIPRXGET: (0-4),(0-9),(1-1500)\r\n\r\nOK\r\n");
}

TEST_CASE("sockets: a TCP link opens through the I/O layer with the AT+CIPTIMEOUT deadline") {
  socket_rig rig;
  CHECK(rig.feed("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",80\r") == "\r\n+IP ERROR: Network not opened\r\n\r\nERROR\r\n");
  rig.feed("AT+NETOPEN\r");
  rig.feed("AT+CIPTIMEOUT=,5000\r");
  CHECK(rig.feed("AT+CIPOPEN=3,\"TCP\",\"example.com\",8080\r") == "\r\nOK\r\n");
  REQUIRE(rig.io.opens.size() == 1);
  CHECK(rig.io.opens[0].protocol == agent::socket_protocol::tcp);
  CHECK(rig.io.opens[0].remote == agent::socket_endpoint{"example.com", 8080});
  CHECK(rig.io.opens[0].timeout == std::chrono::milliseconds(5000));
  CHECK(rig.feed("AT+CIPOPEN=3,\"TCP\",\"example.com\",8080\r") == "\r\n+CIPOPEN: 3,4\r\n\r\nERROR\r\n");
  rig.sockets().on_opened(rig.io.opens[0].id, ip_error::none);
  CHECK(rig.output() == "\r\n+CIPOPEN: 3,0\r\n");
  std::string links = rig.feed("AT+CIPOPEN?\r");
  CHECK(links.find("\r\n+CIPOPEN: 2\r\n+CIPOPEN: 3,\"TCP\",\"example.com\",8080,-1\r\n+CIPOPEN: 4\r\n") !=
        std::string::npos);
  CHECK(rig.feed("AT+CIPCLOSE?\r") == "\r\n+CIPCLOSE: 0,0,0,1,0,0,0,0,0,0\r\n\r\nOK\r\n");
  // Refused connections report the manual's <err>.
  CHECK(rig.feed("AT+CIPOPEN=4,\"TCP\",\"127.0.0.1\",9\r") == "\r\nOK\r\n");
  rig.sockets().on_opened(rig.io.opens[1].id, ip_error::network_failure);
  CHECK(rig.output() == "\r\n+CIPOPEN: 4,1\r\n");
  CHECK(rig.feed("AT+CIPCLOSE?\r") == "\r\n+CIPCLOSE: 0,0,0,1,0,0,0,0,0,0\r\n\r\nOK\r\n");
}

TEST_CASE("sockets: CIPOPEN bad input") {
  socket_rig rig;
  rig.feed("AT+NETOPEN\r");
  CHECK(rig.feed("AT+CIPOPEN=10,\"TCP\",\"127.0.0.1\",80\r") == "\r\nERROR\r\n");  // link out of range
  CHECK(rig.feed("AT+CIPOPEN=0,\"SCTP\",\"127.0.0.1\",80\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",70000\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",\"80\"\r") == "\r\nERROR\r\n");  // wrong type
  CHECK(rig.feed("AT+CIPOPEN=0,\"TCP\"\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPOPEN=0,\"UDP\",\"127.0.0.1\",80\r") == "\r\nERROR\r\n");  // UDP names its local port only
  CHECK(rig.feed("AT+CIPOPEN\r") == "\r\nERROR\r\n");
  rig.feed("AT+CIPMODE=1\r");
  CHECK(rig.feed("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",80\r") == "\r\n+CIPOPEN: 0,4\r\n\r\nERROR\r\n");
  CHECK(rig.io.opens.empty());
  CHECK(rig.feed("AT\r") == "\r\nOK\r\n");
}

TEST_CASE("sockets: CIPSEND with a length takes exactly that many bytes after the prompt") {
  socket_rig rig;
  socket_id id = rig.open_tcp(1);
  // The payload may hold CR, LF, Ctrl-Z and "AT": with a stated length no byte is special.
  const std::string payload = "AT\r\n\x1A\x1B!";
  const std::string input = "AT+CIPSEND=1,7\r" + payload + "AT\r";
  std::string out = agent_test::same_output_at_every_split(input, [&](std::vector<std::string_view> pieces) {
    socket_rig fresh;
    fresh.open_tcp(1);
    std::string all;
    for (auto piece : pieces) all += fresh.feed(piece);
    REQUIRE(fresh.io.sends.size() == 1);
    REQUIRE(fresh.io.sends[0].second == payload);
    return all;
  });
  CHECK(out == "\r\n>\r\nOK\r\n\r\n+CIPSEND: 1,7,7\r\n\r\nOK\r\n");
  (void)id;
}

TEST_CASE("sockets: CIPSEND echoes its data with ATE1 and ends a Ctrl-Z block, ESC cancels") {
  socket_rig rig;
  socket_id id = rig.open_tcp(0);
  rig.feed("ATE1\r");
  CHECK(rig.feed("AT+CIPSEND=0,\rhello\x1A") == "AT+CIPSEND=0,\r\r\n>hello\r\nOK\r\n\r\n+CIPSEND: 0,5,5\r\n");
  CHECK(rig.io.sends.back() == std::pair<socket_id, std::string>{id, "hello"});
  CHECK(rig.feed("AT+CIPSEND=0,\rnever\x1B") == "AT+CIPSEND=0,\r\r\n>never\r\nOK\r\n");
  CHECK(rig.io.sends.size() == 1);
}

TEST_CASE("sockets: CIPSEND bad input — length out of range, a 200 KB Ctrl-Z block, a closed link") {
  socket_rig rig;
  rig.open_tcp(0);
  CHECK(rig.feed("AT+CIPSEND=0,0\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPSEND=0,1501\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPSEND=0,204800\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPSEND=0,\"5\"\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPSEND=0,5,\"127.0.0.1\",9\r") == "\r\nERROR\r\n");  // a UDP target on a TCP link
  CHECK(rig.feed("AT+CIPSEND=2,5\r") == "\r\n+CIPERROR: 4\r\n\r\nERROR\r\n");
  // 200 KB with Ctrl-Z: refused whole once it ends, and nothing reaches the socket.
  std::string answer = rig.feed("AT+CIPSEND=0,\r" + std::string(200 * 1024, 'x') + "\x1A");
  CHECK(answer == "\r\n>\r\nERROR\r\n");
  CHECK(rig.io.sends.empty());
  CHECK(rig.feed("AT\r") == "\r\nOK\r\n");
  // A length mismatch: the block takes the stated 3 bytes, the rest is read as command text.
  CHECK(rig.feed("AT+CIPSEND=0,3\rabcdef\rAT\r") == "\r\n>\r\nOK\r\n\r\n+CIPSEND: 0,3,3\r\n\r\nOK\r\n");
  CHECK(rig.io.sends.back().second == "abc");
}

TEST_CASE("sockets: the link closing while the host types its block refuses the send") {
  socket_rig rig;
  socket_id id = rig.open_tcp(0);
  CHECK(rig.feed("AT+CIPSEND=0,4\rab") == "\r\n>");
  rig.sockets().on_closed(id, agent::close_reason::remote);
  CHECK(rig.output().empty());  // the URC waits for the command's answer
  CHECK(rig.feed("cd") == "\r\n+CIPERROR: 4\r\n\r\nERROR\r\n\r\n+IPCLOSE: 0,1\r\n");
  CHECK(rig.io.sends.empty());
}

TEST_CASE("sockets: CIPRXGET modes 1-4 read received data byte-exact, in ASCII and hex") {
  socket_rig rig;
  rig.feed("AT+CIPRXGET=1\r");
  socket_id id = rig.open_tcp(2);
  CHECK(rig.feed("AT+CIPRXGET=4,2\r") == "\r\n+CIPRXGET: 4,2,0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=2,2\r") == "\r\n+IP ERROR: No data\r\n\r\nERROR\r\n");
  rig.sockets().on_received(id, "Hello\r\nWorld");
  CHECK(rig.output() == "\r\n+CIPRXGET: 1,2\r\n");
  rig.sockets().on_received(id, "!");
  CHECK(rig.output().empty());  // said once until read empty
  CHECK(rig.feed("AT+CIPRXGET=4,2\r") == "\r\n+CIPRXGET: 4,2,13\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=2,2,7\r") == "\r\n+CIPRXGET: 2,2,7,6\r\nHello\r\n\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=3,2,3\r") == "\r\n+CIPRXGET: 3,2,3,3\r\n576F72\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPRXGET=2,2\r") == "\r\n+CIPRXGET: 2,2,3,0\r\nld!\r\n\r\nOK\r\n");
  rig.sockets().on_received(id, "x");
  CHECK(rig.output() == "\r\n+CIPRXGET: 1,2\r\n");
  CHECK(rig.feed("AT+CIPRXGET=3,2,751\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPRXGET=2,2,1501\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPRXGET=2\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CIPRXGET=1,2\r") == "\r\nERROR\r\n");
}

TEST_CASE("sockets: without manual reading, data is pushed as +RECEIVE with its bytes") {
  socket_rig rig;
  socket_id id = rig.open_tcp(0);
  rig.sockets().on_received(id, "ab\r\ncd");
  CHECK(rig.output() == "\r\n+RECEIVE,0,6\r\nab\r\ncd");
  CHECK(rig.feed("AT+CIPRXGET=2,0\r") == "\r\nERROR\r\n");
}

TEST_CASE("sockets: the receive buffer is bounded and reading resumes the socket") {
  socket_rig rig;
  rig.feed("AT+CIPRXGET=1\r");
  socket_id id = rig.open_tcp(0);
  CHECK(rig.sockets().rx_room(id) == agent::socket_service::rx_capacity);
  rig.sockets().on_received(id, std::string(agent::socket_service::rx_capacity, 'z'));
  CHECK(rig.sockets().rx_room(id) == 0);
  CHECK(rig.io.resumed.empty());
  rig.output();
  CHECK(rig.feed("AT+CIPRXGET=2,0,1500\r").find("+CIPRXGET: 2,0,1500,64036") != std::string::npos);
  CHECK(rig.io.resumed == std::vector<socket_id>{id});
  CHECK(rig.sockets().rx_room(id) == 1500);
}

TEST_CASE("sockets: +IPCLOSE when the peer closes, data received before stays readable") {
  socket_rig rig;
  rig.feed("AT+CIPRXGET=1\r");
  socket_id id = rig.open_tcp(0);
  rig.sockets().on_received(id, "bye");
  rig.sockets().on_closed(id, agent::close_reason::remote);
  CHECK(rig.output() == "\r\n+CIPRXGET: 1,0\r\n\r\n+IPCLOSE: 0,1\r\n");
  CHECK(rig.feed("AT+CIPRXGET=2,0\r") == "\r\n+CIPRXGET: 2,0,3,0\r\nbye\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPCLOSE=0\r") == "\r\n+CIPCLOSE: 0,4\r\n\r\nERROR\r\n");
  rig.sockets().on_received(id, "late");  // a stale id is ignored
  CHECK(rig.output().empty());
}

TEST_CASE("sockets: CIPCLOSE closes the socket by id and reports it") {
  socket_rig rig;
  socket_id id = rig.open_tcp(5);
  CHECK(rig.feed("AT+CIPCLOSE=5\r") == "\r\nOK\r\n\r\n+CIPCLOSE: 5,0\r\n");
  CHECK(rig.io.closes == std::vector<socket_id>{id});
  CHECK(rig.feed("AT+CIPCLOSE=10\r") == "\r\nERROR\r\n");
}

TEST_CASE("sockets: UDP binds a local port and sends datagrams to the named peer") {
  socket_rig rig;
  rig.feed("AT+NETOPEN\r");
  CHECK(rig.feed("AT+CIPOPEN=1,\"UDP\",,,5000\r") == "\r\nOK\r\n");
  REQUIRE(rig.io.opens.size() == 1);
  CHECK(rig.io.opens[0].protocol == agent::socket_protocol::udp);
  CHECK(rig.io.opens[0].local_port == 5000);
  socket_id id = rig.io.opens[0].id;
  rig.sockets().on_opened(id, ip_error::none);
  CHECK(rig.output() == "\r\n+CIPOPEN: 1,0\r\n");
  CHECK(rig.feed("AT+CIPSEND=1,4\r") == "\r\nERROR\r\n");  // UDP names its target
  CHECK(rig.feed("AT+CIPSEND=1,4,\"127.0.0.1\",6000\rping") == "\r\n>\r\nOK\r\n\r\n+CIPSEND: 1,4,4\r\n");
  CHECK(rig.io.sends.back().second == "ping");
  CHECK(rig.io.send_targets.back() == agent::socket_endpoint{"127.0.0.1", 6000});
  rig.sockets().on_received(id, "pong");
  CHECK(rig.output() == "\r\n+RECEIVE,1,4\r\npong");
}

TEST_CASE("sockets: traffic stops when the data call drops") {
  socket_rig rig;
  rig.feed("AT+CIPRXGET=1\r");
  socket_id id = rig.open_tcp(0);
  rig.module.world_event([](agent::radio_world& world) { return world.data_call_drop(std::nullopt); });
  CHECK(rig.output() == "\r\n+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY\r\n\r\n+IPCLOSE: 0,1\r\n\r\n+CAPNET: 1,0\r\n");
  CHECK(rig.io.closes == std::vector<socket_id>{id});
  CHECK(rig.feed("AT+NETOPEN?\r") == "\r\n+NETOPEN: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CIPSEND=0,1\r") == "\r\n+IP ERROR: Network not opened\r\n\r\nERROR\r\n");
  CHECK(rig.sockets().rx_room(id) == 0);
  rig.sockets().on_received(id, "lost");
  CHECK(rig.output().empty());
  CHECK(rig.module.data_call_up());  // the always-on profile dialled again; the host's sockets stay closed
}

TEST_CASE("sockets: CDNSGIP holds the line for the resolver") {
  socket_rig rig;
  CHECK(rig.feed("AT+CDNSGIP=\"example.com\"\r") == "\r\n+CDNSGIP: 0,10\r\n\r\nERROR\r\n");
  rig.feed("AT+NETOPEN\r");
  CHECK(rig.feed("AT+CDNSGIP=\"example.com\";+CIPMODE?\r").empty());
  REQUIRE(rig.io.queries.size() == 1);
  CHECK(rig.io.queries[0].second == "example.com");
  rig.sockets().on_resolved(rig.io.queries[0].first, "93.184.216.34");
  CHECK(rig.output() ==
        "\r\n+CDNSGIP: 1,\"example.com\",\"93.184.216.34\"\r\n\r\n+CIPMODE: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CDNSGIP=\"nowhere.invalid\"\r").empty());
  rig.sockets().on_resolved(rig.io.queries[1].first, std::nullopt);
  CHECK(rig.output() == "\r\n+CDNSGIP: 0,10\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CDNSGIP\r") == "\r\nERROR\r\n");
}

TEST_CASE("sockets: a reboot closes every socket and forgets the settings") {
  socket_rig rig;
  rig.feed("AT+CIPRXGET=1\r");
  socket_id id = rig.open_tcp(0);
  rig.feed("AT+CRESET\r");
  CHECK(rig.io.closes == std::vector<socket_id>{id});
  rig.timers.fire(timer_id::boot, rig.module);
  rig.output();
  rig.feed("ATE0\r");
  CHECK(rig.feed("AT+CIPRXGET?\r") == "\r\n+CIPRXGET: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+NETOPEN?\r") == "\r\n+NETOPEN: 0\r\n\r\nOK\r\n");
}

// TinyGSM's SIM7600 driver: gprsConnect, isGprsConnected, getLocalIP, a client's connect/write/available/read/
// stop, NTPServerSync (then getNetworkTime), getGsmLocationRaw and getGsmLocation, and gprsDisconnect, as it sends
// them, and what the module answers, byte for byte.
TEST_CASE("sockets: a TinyGSM-style GPRS and client sequence as a transcript") {
  socket_rig rig(false);
  std::string transcript;
  auto host = [&](std::string line) { transcript += "> " + line + "\n" + rig.feed(line); };
  // init() and the status calls (AT+CTZR=0 / AT+CTZU=1 come with the radio world model).
  for (const char* line : {"AT\r", "AT+CMEE=2\r", "AT+CGMI\r", "AT+CGMM\r", "AT+CPIN?\r", "AT+CSQ\r", "AT+CGREG?\r"})
    host(line);
  host("AT+NETCLOSE\r");
  host("AT+CGDCONT=1,\"IP\",\"internet\",\"0.0.0.0\",0,0\r");
  host("AT+CIPMODE=0\r");
  host("AT+CIPSENDMODE=0\r");
  host("AT+CIPCCFG=10,0,0,0,1,0,75000\r");
  host("AT+CIPTIMEOUT=75000,15000,15000\r");
  host("AT+NETOPEN\r");
  host("AT+NETOPEN?\r");
  host("AT+IPADDR\r");
  host("AT+CIPRXGET=1\r");
  host("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",80\r");
  rig.sockets().on_opened(rig.io.opens.at(0).id, ip_error::none);
  transcript += rig.output();
  host("AT+CIPSEND=0,18\r");
  host("GET / HTTP/1.0\r\n\r\n");
  rig.sockets().on_received(rig.io.opens.at(0).id, "HTTP/1.0 200 OK\r\n\r\nhi");
  transcript += rig.output();
  host("AT+CIPRXGET=4,0\r");
  host("AT+CIPRXGET=2,0,21\r");
  host("AT+CIPRXGET=4,0\r");
  host("AT+CIPCLOSE?\r");
  host("AT+CIPCLOSE=0\r");
  // NTPServerSync() with its defaults: AT+CNTPCID may fail (the SIM7600 has none), "+CNTP:" is read to its '\n'.
  host("AT+CNTPCID=1\r");
  host("AT+CNTP=\"pool.ntp.org\",3\r");
  host("AT+CNTP\r");
  REQUIRE(rig.ntp.asks.size() == 1);
  const std::int64_t server_time = 1'893'553'445;  // 2030-01-02 03:04:05 UTC
  const auto& asked = rig.ntp.asks[0];
  rig.module.ntp().on_answer(asked.query, agent_test::ntp_server_answer(asked.request, server_time));
  transcript += rig.output();
  host("AT+CCLK?\r");
  // getGsmLocationRaw() and getGsmLocation(): "+CLBS: ", a two-character code, then the fields to '\n'.
  host("AT+CLBS=1,1\r");
  host("AT+CLBS=4,1\r");
  host("AT+NETCLOSE\r");
  CHECK(transcript ==
        "> AT\r\n\r\nOK\r\n"
        "> AT+CMEE=2\r\n\r\nOK\r\n"
        "> AT+CGMI\r\n\r\nSIMCOM INCORPORATED\r\n\r\nOK\r\n"
        "> AT+CGMM\r\n\r\nSIMCOM_SIM7600E-L1C\r\n\r\nOK\r\n"
        "> AT+CPIN?\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n"
        "> AT+CSQ\r\n\r\n+CSQ: 23,99\r\n\r\nOK\r\n"
        "> AT+CGREG?\r\n\r\n+CGREG: 0,1\r\n\r\nOK\r\n"
        "> AT+NETCLOSE\r\n\r\n+IP ERROR: Network not opened\r\n\r\nERROR\r\n"
        "> AT+CGDCONT=1,\"IP\",\"internet\",\"0.0.0.0\",0,0\r\n\r\nOK\r\n"
        "> AT+CIPMODE=0\r\n\r\nOK\r\n"
        "> AT+CIPSENDMODE=0\r\n\r\nOK\r\n"
        "> AT+CIPCCFG=10,0,0,0,1,0,75000\r\n\r\nOK\r\n"
        "> AT+CIPTIMEOUT=75000,15000,15000\r\n\r\nOK\r\n"
        "> AT+NETOPEN\r\n\r\nOK\r\n\r\n+NETOPEN: 0\r\n"
        "> AT+NETOPEN?\r\n\r\n+NETOPEN: 1\r\n\r\nOK\r\n"
        "> AT+IPADDR\r\n\r\n+IPADDR: 10.71.155.118\r\n\r\nOK\r\n"
        "> AT+CIPRXGET=1\r\n\r\nOK\r\n"
        "> AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",80\r\n\r\nOK\r\n"
        "\r\n+CIPOPEN: 0,0\r\n"
        "> AT+CIPSEND=0,18\r\n\r\n>"
        "> GET / HTTP/1.0\r\n\r\n\n\r\nOK\r\n\r\n+CIPSEND: 0,18,18\r\n"
        "\r\n+CIPRXGET: 1,0\r\n"
        "> AT+CIPRXGET=4,0\r\n\r\n+CIPRXGET: 4,0,21\r\n\r\nOK\r\n"
        "> AT+CIPRXGET=2,0,21\r\n\r\n+CIPRXGET: 2,0,21,0\r\nHTTP/1.0 200 OK\r\n\r\nhi\r\n\r\nOK\r\n"
        "> AT+CIPRXGET=4,0\r\n\r\n+CIPRXGET: 4,0,0\r\n\r\nOK\r\n"
        "> AT+CIPCLOSE?\r\n\r\n+CIPCLOSE: 1,0,0,0,0,0,0,0,0,0\r\n\r\nOK\r\n"
        "> AT+CIPCLOSE=0\r\n\r\nOK\r\n\r\n+CIPCLOSE: 0,0\r\n"
        "> AT+CNTPCID=1\r\n\r\nERROR\r\n"
        "> AT+CNTP=\"pool.ntp.org\",3\r\n\r\nOK\r\n"
        "> AT+CNTP\r\n\r\nOK\r\n"
        "\r\n+CNTP: 0\r\n"
        "> AT+CCLK?\r\n\r\n+CCLK: \"30/01/02,03:49:05+03\"\r\n\r\nOK\r\n"
        "> AT+CLBS=1,1\r\n\r\n+CLBS: 0,31.230416,121.473701,550\r\n\r\nOK\r\n"
        "> AT+CLBS=4,1\r\n\r\n+CLBS: 0,31.230416,121.473701,550,2023/11/14,22:13:20\r\n\r\nOK\r\n"
        "> AT+NETCLOSE\r\n\r\nOK\r\n\r\n+NETCLOSE: 0\r\n");
  CHECK(rig.io.sends.at(0).second == "GET / HTTP/1.0\r\n\r\n");
}
