#include <catch2/catch.hpp>

#include "agent/http_service.hpp"
#include "stream_test_rig.hpp"

using agent::stream_error;
using agent::stream_id;
using agent_test::stream_rig;

namespace {

// HTTPINIT, the URL set, the action asked; returns the stream the service opened.
stream_id start_action(stream_rig& rig, const std::string& url, int method = 0) {
  rig.feed("AT+HTTPINIT\r");  // OK, or ERROR when initialised already
  REQUIRE(rig.feed("AT+HTTPPARA=\"URL\",\"" + url + "\"\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+HTTPACTION=" + std::to_string(method) + "\r") == "\r\nOK\r\n");
  REQUIRE_FALSE(rig.io.opens.empty());
  return rig.io.opens.back().id;
}

}  // namespace

TEST_CASE("http: a GET over plain HTTP, its head and body read back in parts") {
  stream_rig rig;
  CHECK(rig.feed("AT+HTTPACTION=0\r") == "\r\nERROR\r\n");  // not initialised
  const stream_id id = start_action(rig, "http://example.com:8080/cfg?v=1");
  CHECK(id >= agent::http_service::id_base);
  CHECK(rig.io.opens.back().remote == agent::socket_endpoint{"example.com", 8080});
  CHECK_FALSE(rig.io.opens.back().tls);
  CHECK(rig.feed("AT+HTTPACTION=0\r") == "\r\nERROR\r\n");  // one at a time
  rig.streams().on_opened(id, stream_error::none);
  REQUIRE(rig.io.sends.size() == 1);
  CHECK(rig.io.sends[0].second ==
        "GET /cfg?v=1 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n");
  rig.streams().on_received(id, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123");
  CHECK(rig.output().empty());
  rig.streams().on_received(id, "456789");
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,200,10\r\n");
  CHECK(rig.io.closes == std::vector<stream_id>{id});
  CHECK(rig.feed("AT+HTTPHEAD\r") == "\r\n+HTTPHEAD: 39\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPREAD?\r") == "\r\n+HTTPREAD: LEN,10\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPREAD=4\r") == "\r\nOK\r\n\r\n+HTTPREAD: DATA,4\r\n0123\r\n+HTTPREAD: 0\r\n");
  CHECK(rig.feed("AT+HTTPREAD=100\r") == "\r\nOK\r\n\r\n+HTTPREAD: DATA,6\r\n456789\r\n+HTTPREAD: 0\r\n");
  CHECK(rig.feed("AT+HTTPREAD=1\r") == "\r\nOK\r\n\r\n+HTTPREAD: 0\r\n");
  CHECK(rig.feed("AT+HTTPREAD=0,1\r") == "\r\nERROR\r\n");  // read mode 0: no going back
  CHECK(rig.feed("AT+HTTPPARA=\"READMODE\",1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPREAD=2,3\r") == "\r\nOK\r\n\r\n+HTTPREAD: DATA,3\r\n234\r\n+HTTPREAD: 0\r\n");
  CHECK(rig.feed("AT+HTTPREAD=11,1\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+HTTPTERM\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPREAD?\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+HTTPTERM\r") == "\r\nERROR\r\n");
}

TEST_CASE("http: a POST carries the HTTPDATA body, its content type and the user's headers") {
  stream_rig rig;
  REQUIRE(rig.feed("AT+HTTPINIT\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPDATA=7,10\r{\"a\":1}") == "\r\nDOWNLOAD\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPPARA=\"CONTENT\",\"application/json\"\r") == "\r\nOK\r\n");
  // The four characters \r\n separate header lines (written \5C in an AT string, whose backslash escapes a byte).
  CHECK(rig.feed("AT+HTTPPARA=\"USERDATA\",\"X-Key: k1\\5Cr\\5CnX-Other: 2\"\r") == "\r\nOK\r\n");
  const stream_id id = start_action(rig, "http://example.com/post", 1);
  rig.streams().on_opened(id, stream_error::none);
  CHECK(rig.io.sends.at(0).second ==
        "POST /post HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nContent-Type: application/json\r\n"
        "X-Key: k1\r\nX-Other: 2\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}");
  rig.streams().on_received(id, "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  CHECK(rig.output() == "\r\n+HTTPACTION: 1,201,2\r\n");
}

TEST_CASE("http: a server that stops answering for RECVTO seconds ends the action with 705, each byte restarts the wait") {
  stream_rig rig;
  REQUIRE(rig.feed("AT+HTTPINIT\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPPARA=\"RECVTO\",5\r") == "\r\nOK\r\n");
  const stream_id id = start_action(rig, "http://example.com/slow");
  CHECK(rig.timers.armed.count(apca::timer_id::http_receive) == 0);  // connecting: CONNECTTO's deadline, not this
  rig.streams().on_opened(id, stream_error::none);
  CHECK(rig.timers.armed.at(apca::timer_id::http_receive) == std::chrono::seconds(5));
  rig.timers.armed.erase(apca::timer_id::http_receive);
  rig.streams().on_received(id, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123");
  CHECK(rig.timers.armed.at(apca::timer_id::http_receive) == std::chrono::seconds(5));  // waiting for the rest
  CHECK(rig.output().empty());
  rig.timers.fire(apca::timer_id::http_receive, rig.module);
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,705,0\r\n");
  CHECK(rig.io.closes == std::vector<stream_id>{id});
  CHECK(rig.feed("AT+HTTPREAD?\r") == "\r\nERROR\r\n");  // a 7xx keeps no answer
  rig.streams().on_received(id, "456789");  // late bytes of a closed exchange change nothing
  CHECK(rig.output().empty());

  // A whole answer in time stops the wait: no 705 later.
  const stream_id again = start_action(rig, "http://example.com/fast");
  rig.streams().on_opened(again, stream_error::none);
  rig.streams().on_received(again, "HTTP/1.1 204 No Content\r\n\r\n");
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,204,0\r\n");
  CHECK(rig.timers.armed.count(apca::timer_id::http_receive) == 0);
}

TEST_CASE("http: HTTPS takes the SSL context SSLCFG names, no answer gives the manual's 7xx") {
  stream_rig rig;
  REQUIRE(rig.feed("AT+HTTPINIT\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"authmode\",2,1\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"cacert\",2,\"ca.pem\"\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+HTTPPARA=\"SSLCFG\",2\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+HTTPPARA=\"URL\",\"https://example.com/x\"\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPACTION=0\r") == "\r\nOK\r\n\r\n+HTTPACTION: 0,719,0\r\n");  // the CA is not stored
  REQUIRE(rig.feed("AT+CCERTDOWN=\"ca.pem\",2\rCA") == "\r\n>\r\nOK\r\n");
  for (auto [error, status] : {std::pair{stream_error::dns_failed, 713}, {stream_error::connect_failed, 714},
                               {stream_error::timeout, 705}, {stream_error::handshake_failed, 715}}) {
    REQUIRE(rig.feed("AT+HTTPACTION=2\r") == "\r\nOK\r\n");
    const auto& opened = rig.io.opens.back();
    REQUIRE(opened.tls);
    CHECK(opened.tls->verify_server);
    CHECK(opened.tls->ca_pem == "CA");
    CHECK(opened.remote.port == 443);
    rig.streams().on_opened(opened.id, error);
    CHECK(rig.output() == "\r\n+HTTPACTION: 2," + std::to_string(status) + ",0\r\n");
  }
}

TEST_CASE("http: an answer cut short, malformed or too large") {
  stream_rig rig;
  stream_id id = start_action(rig, "http://example.com/");
  rig.streams().on_opened(id, stream_error::none);
  rig.streams().on_received(id, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc");
  rig.streams().on_closed(id);
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,704,0\r\n");
  CHECK(rig.feed("AT+HTTPREAD?\r") == "\r\nERROR\r\n");

  REQUIRE(rig.feed("AT+HTTPACTION=0\r") == "\r\nOK\r\n");
  id = rig.io.opens.back().id;
  rig.streams().on_opened(id, stream_error::none);
  rig.streams().on_received(id, "SSH-2.0-OpenSSH\r\n\r\n");
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,702,0\r\n");

  REQUIRE(rig.feed("AT+HTTPACTION=0\r") == "\r\nOK\r\n");
  id = rig.io.opens.back().id;
  rig.streams().on_opened(id, stream_error::none);
  rig.streams().on_received(id, "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n");
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,707,0\r\n");

  // Up to the end of the stream: complete when the peer closes.
  REQUIRE(rig.feed("AT+HTTPACTION=0\r") == "\r\nOK\r\n");
  id = rig.io.opens.back().id;
  rig.streams().on_opened(id, stream_error::none);
  rig.streams().on_received(id, "HTTP/1.0 404 Not Found\r\n\r\ngone");
  rig.streams().on_closed(id);
  CHECK(rig.output() == "\r\n+HTTPACTION: 0,404,4\r\n");
}

TEST_CASE("http: bad parameters and forms are refused") {
  stream_rig rig;
  CHECK(rig.feed("AT+HTTPPARA=\"URL\",\"http://x/\"\r") == "\r\nERROR\r\n");  // before HTTPINIT
  REQUIRE(rig.feed("AT+HTTPINIT\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPINIT\r") == "\r\nERROR\r\n");
  for (const char* bad : {"AT+HTTPPARA=\"CONNECTTO\",19\r", "AT+HTTPPARA=\"RECVTO\",121\r",
                          "AT+HTTPPARA=\"SSLCFG\",10\r", "AT+HTTPPARA=\"READMODE\",2\r", "AT+HTTPPARA=\"NOPE\",1\r",
                          "AT+HTTPPARA=\"URL\"\r", "AT+HTTPACTION=4\r", "AT+HTTPDATA=0,10\r", "AT+HTTPHEAD\r",
                          "AT+HTTPREAD=1\r"}) {
    INFO(bad);
    CHECK(rig.feed(bad) == "\r\nERROR\r\n");
  }
  CHECK(rig.feed("AT+HTTPPARA=\"URL\",\"ftp://x/\"\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+HTTPACTION=0\r") == "\r\nERROR\r\n");  // not an http(s) URL
  CHECK(rig.feed("AT+HTTPPARA=\"CONNECTTO\",20\r") == "\r\nOK\r\n");
  CHECK(rig.io.opens.empty());
}
