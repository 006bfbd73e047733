#include <catch2/catch.hpp>

#include <vector>

#include "agent/cch_service.hpp"
#include "agent/module_core.hpp"
#include "agent/radio_world.hpp"
#include "stream_test_rig.hpp"

using agent::stream_error;
using agent::stream_id;

namespace {

// The stream rig with a helper that opens an SSL service session.
struct cch_rig : agent_test::stream_rig {
  // AT+CCHSTART, then session `session` open to host:443 as `client_type`; returns its stream id.
  stream_id open(int session = 0, int client_type = 1) {
    feed("AT+CCHSTART\r");  // started now, or already (ERROR)
    REQUIRE(feed("AT+CCHOPEN=" + std::to_string(session) + ",\"example.com\",443," + std::to_string(client_type) +
                 "\r") == "\r\nOK\r\n");
    const stream_id id = io.opens.back().id;
    streams().on_opened(id, stream_error::none);
    REQUIRE(output() == "\r\n+CCHOPEN: " + std::to_string(session) + ",0\r\n");
    return id;
  }
};

}  // namespace

TEST_CASE("cch: CCHSTART and CCHSTOP bracket the service") {
  cch_rig rig;
  CHECK(rig.feed("AT+CCHOPEN=0,\"example.com\",443\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHSTOP\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHSTART\r") == "\r\nOK\r\n\r\n+CCHSTART: 0\r\n");
  CHECK(rig.feed("AT+CCHSTART\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHSTOP\r") == "\r\nOK\r\n\r\n+CCHSTOP: 0\r\n");
  CHECK(rig.feed("AT+CCHMODE?\r") == "\r\n+CCHMODE: 0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHMODE=1\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHSET?\r") == "\r\n+CCHSET: 0,0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHSET=1,1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHSET?\r") == "\r\n+CCHSET: 1,1\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHSET=2\r") == "\r\nERROR\r\n");
}

TEST_CASE("cch: a TLS session takes its SSL context and the certificates it names") {
  cch_rig rig;
  REQUIRE(rig.feed("AT+CCHSTART\r") == "\r\nOK\r\n\r\n+CCHSTART: 0\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"authmode\",3,1\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"cacert\",3,\"ca.pem\"\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"enableSNI\",3,1\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"negotiatetime\",3,20\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CCHSSLCFG=1,3\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHSSLCFG?\r") == "\r\n+CCHSSLCFG: 0,0\r\n+CCHSSLCFG: 1,3\r\n\r\nOK\r\n");
  // The CA the context names is not downloaded yet: the manual's "not set certificates".
  CHECK(rig.feed("AT+CCHOPEN=1,\"example.com\",443,2\r") == "\r\nOK\r\n\r\n+CCHOPEN: 1,19\r\n");
  CHECK(rig.io.opens.empty());
  REQUIRE(rig.feed("AT+CCERTDOWN=\"ca.pem\",3\rPEM") == "\r\n>\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHOPEN=1,\"example.com\",443\r") == "\r\nOK\r\n");
  REQUIRE(rig.io.opens.size() == 1);
  const auto& tls = rig.io.opens[0].tls;
  REQUIRE(tls);
  CHECK(tls->verify_server);
  CHECK(tls->ca_pem == "PEM");
  CHECK(tls->sni == "example.com");
  CHECK(tls->handshake_timeout == std::chrono::seconds(20));
  CHECK(tls->client_cert.empty());
  // A failed handshake is the manual's 15, and frees the session.
  rig.streams().on_opened(rig.io.opens[0].id, stream_error::handshake_failed);
  CHECK(rig.output() == "\r\n+CCHOPEN: 1,15\r\n");
  CHECK(rig.io.closes == std::vector<stream_id>{rig.io.opens[0].id});
  CHECK(rig.feed("AT+CCHSEND=1,3\r") == "\r\nERROR\r\n");
  // Session 0 on context 0 (no authentication): TLS with nothing to verify.
  CHECK(rig.feed("AT+CCHOPEN=0,\"example.com\",443\r") == "\r\nOK\r\n");
  CHECK_FALSE(rig.io.opens.back().tls->verify_server);
  CHECK_FALSE(rig.io.opens.back().tls->sni);
  // A plain TCP session (client type 1) has no TLS.
  CHECK(rig.feed("AT+CCHOPEN=1,\"example.com\",80,1\r") == "\r\nOK\r\n");
  CHECK_FALSE(rig.io.opens.back().tls);
}

TEST_CASE("cch: open errors map to the manual's codes") {
  cch_rig rig;
  REQUIRE(rig.feed("AT+CCHSTART\r") == "\r\nOK\r\n\r\n+CCHSTART: 0\r\n");
  for (auto [error, code] : {std::pair{stream_error::dns_failed, 13}, {stream_error::connect_failed, 14},
                             {stream_error::timeout, 5}}) {
    REQUIRE(rig.feed("AT+CCHOPEN=0,\"nowhere\",1,1\r") == "\r\nOK\r\n");
    rig.streams().on_opened(rig.io.opens.back().id, error);
    CHECK(rig.output() == "\r\n+CCHOPEN: 0," + std::to_string(code) + "\r\n");
  }
  CHECK(rig.feed("AT+CCHOPEN=2,\"x\",1\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHOPEN=0,\"\",1\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHOPEN=0,\"x\",0\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHOPEN=0,\"x\",1,3\r") == "\r\nERROR\r\n");
}

TEST_CASE("cch: send after the prompt, data pushed as +CCHRECV: DATA, peer close, CCHCLOSE") {
  cch_rig rig;
  const stream_id id = rig.open(0);
  CHECK(rig.feed("AT+CCHOPEN?\r") == "\r\n+CCHOPEN: 0,\"example.com\",443,1,\r\n+CCHOPEN: 1,\"\",,,\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHOPEN=0,\"example.com\",443\r") == "\r\nERROR\r\n");  // busy
  CHECK(rig.feed("AT+CCHSEND=0,5\rhello") == "\r\n>\r\nOK\r\n");
  CHECK(rig.io.sends == std::vector<std::pair<stream_id, std::string>>{{id, "hello"}});
  CHECK(rig.feed("AT+CCHSET=1,0\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHSEND=0,2\rhi") == "\r\n>\r\nOK\r\n\r\n+CCHSEND: 0,0\r\n");
  CHECK(rig.feed("AT+CCHSEND=1,2\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHSEND=0,2049\r") == "\r\nERROR\r\n");
  rig.streams().on_received(id, "reply");
  CHECK(rig.output() == "\r\n+CCHRECV: DATA,0,5\r\nreply");
  CHECK(rig.feed("AT+CCHCLOSE=0\r") == "\r\nOK\r\n\r\n+CCHCLOSE: 0,0\r\n");
  CHECK(rig.io.closes == std::vector<stream_id>{id});
  CHECK(rig.feed("AT+CCHCLOSE=0\r") == "\r\nERROR\r\n");
  const stream_id second = rig.open(0);
  rig.streams().on_closed(second);
  CHECK(rig.output() == "\r\n+CCH_PEER_CLOSED: 0\r\n");
}

TEST_CASE("cch: cached receive mode reports RECV EVENT and AT+CCHRECV reads in blocks, a full cache pauses") {
  cch_rig rig;
  REQUIRE(rig.feed("AT+CCHSET=0,1\r") == "\r\nOK\r\n");
  const stream_id id = rig.open(1);
  rig.streams().on_received(id, "abc");
  CHECK(rig.output() == "\r\n+CCHEVENT: 1,RECV EVENT\r\n");
  rig.streams().on_received(id, "def");
  CHECK(rig.output().empty());
  CHECK(rig.feed("AT+CCHRECV?\r") == "\r\n+CCHRECV: LEN,0,6\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CCHRECV=1,4\r") == "\r\nOK\r\n\r\n+CCHRECV: DATA,1,4\r\nabcd\r\n+CCHRECV: 1,0\r\n");
  CHECK(rig.feed("AT+CCHRECV=1\r") == "\r\nOK\r\n\r\n+CCHRECV: DATA,1,2\r\nef\r\n+CCHRECV: 1,0\r\n");
  CHECK(rig.feed("AT+CCHRECV=1\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CCHRECV=0\r") == "\r\nERROR\r\n");
  const std::string block(agent::cch_service::rx_capacity, 'x');
  CHECK(rig.streams().rx_room(id) == agent::cch_service::rx_capacity);
  rig.streams().on_received(id, block);
  rig.output();
  CHECK(rig.streams().rx_room(id) == 0);
  const std::string read = rig.feed("AT+CCHRECV=1,2048\r");
  CHECK(read.find("+CCHRECV: DATA,1,2048\r\n") != std::string::npos);
  CHECK(rig.io.resumed == std::vector<stream_id>{id});
  CHECK(rig.streams().rx_room(id) == 2048);
}

TEST_CASE("cch: the data call going down closes the sessions and stops the service") {
  cch_rig rig;
  const stream_id id = rig.open(0);
  rig.module.world_event([](agent::radio_world& w) { return w.coverage_lost(); });
  const std::string out = rig.output();
  CHECK(out.find("+CCH_PEER_CLOSED: 0\r\n") != std::string::npos);
  CHECK(out.find("+CCH: CCH STOP\r\n") != std::string::npos);
  CHECK(rig.io.closes == std::vector<stream_id>{id});
  rig.streams().on_received(id, "late");
  CHECK(rig.output().find("late") == std::string::npos);
}

TEST_CASE("cch: a reboot closes the sessions silently, AT+CCHCLOSE clears the session's AT+CCHSSLCFG") {
  cch_rig rig;
  const stream_id first = rig.open(0);
  REQUIRE(rig.feed("AT+CCHSSLCFG=1,4\r") == "\r\nOK\r\n");
  const stream_id second = rig.open(1);
  CHECK(rig.feed("AT+CCHCLOSE=1\r") == "\r\nOK\r\n\r\n+CCHCLOSE: 1,0\r\n");
  CHECK(rig.feed("AT+CCHSSLCFG?\r") == "\r\n+CCHSSLCFG: 0,0\r\n+CCHSSLCFG: 1,0\r\n\r\nOK\r\n");
  rig.module.reboot();
  rig.timers.fire(apca::timer_id::boot, rig.module);
  const std::string after = rig.output();
  CHECK(after.find("+CCH") == std::string::npos);
  CHECK(rig.io.closes == std::vector<stream_id>{second, first});
  rig.feed("ATE0\r");
  CHECK(rig.feed("AT+CCHOPEN=0,\"example.com\",443\r") == "\r\nERROR\r\n");  // the service is stopped again
}
