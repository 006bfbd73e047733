#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "agent/http_service.hpp"
#include "agent/mqtt_packet.hpp"
#include "agent/mqtt_service.hpp"
#include "agent/radio_world.hpp"
#include "stream_test_rig.hpp"

using agent::stream_error;
using agent::stream_id;
using apca::timer_id;
using namespace std::string_literals;
namespace mqtt = agent::mqtt;

namespace {

const std::string connack_accepted = "\x20\x02\x00\x00"s;

// The stream rig with helpers that bring an MQTT client up.
struct mqtt_rig : agent_test::stream_rig {
  // AT+CMQTTSTART and AT+CMQTTACCQ for client `index` (server type `server_type`).
  void acquire(int index = 0, int server_type = 0) {
    if (!started) REQUIRE(feed("AT+CMQTTSTART\r") == "\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n");
    started = true;
    REQUIRE(feed("AT+CMQTTACCQ=" + std::to_string(index) + ",\"dev" + std::to_string(index) + "\"," +
                 std::to_string(server_type) + "\r") == "\r\nOK\r\n");
  }
  // AT+CMQTTCONNECT, the stream opened, CONNECT sent and CONNACK read; returns the stream.
  stream_id connect(int index = 0, const std::string& extra = "") {
    REQUIRE(feed("AT+CMQTTCONNECT=" + std::to_string(index) + ",\"tcp://broker.test:1883\",60,1" + extra + "\r") ==
            "\r\nOK\r\n");
    const stream_id id = io.opens.back().id;
    streams().on_opened(id, stream_error::none);
    REQUIRE(!io.sends.empty());
    REQUIRE(io.sends.back().second.substr(0, 1) == "\x10");
    streams().on_sent(id, io.sends.back().second.size());
    streams().on_received(id, connack_accepted);
    REQUIRE(output() == "\r\n+CMQTTCONNECT: " + std::to_string(index) + ",0\r\n");
    return id;
  }
  std::string last_sent() const { return io.sends.back().second; }
  bool started = false;
};

}  // namespace

TEST_CASE("mqtt: START, STOP and the client table") {
  mqtt_rig rig;
  CHECK(rig.feed("AT+CMQTTSTART=?\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=0,\"dev\"\r") == "\r\n+CMQTTACCQ: 0,9\r\n\r\nERROR\r\n");  // not started
  CHECK(rig.feed("AT+CMQTTSTOP\r") == "\r\n+CMQTTSTOP: 9\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTSTART\r") == "\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n");
  CHECK(rig.feed("AT+CMQTTSTART\r") == "\r\n+CMQTTSTART: 23\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=?\r") == "\r\n+CMQTTACCQ: (0-1),(1-128),(0-1)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=0,\"dev\"\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=0,\"other\"\r") == "\r\n+CMQTTACCQ: 0,19\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=1,\"tls\",1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ?\r") == "\r\n+CMQTTACCQ: 0,\"dev\",0\r\n+CMQTTACCQ: 1,\"tls\",1\r\n\r\nOK\r\n");
  // Out of range, too long, missing: ERROR alone.
  CHECK(rig.feed("AT+CMQTTACCQ=2,\"x\"\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=1,\"" + std::string(129, 'x') + "\"\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ=1,\"x\",2\r") == "\r\nERROR\r\n");
  // A client still acquired keeps the service up.
  CHECK(rig.feed("AT+CMQTTSTOP\r") == "\r\n+CMQTTSTOP: 21\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTREL=0\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTREL=0\r") == "\r\n+CMQTTREL: 0,20\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTREL=1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTREL=?\r") == "\r\n+CMQTTREL: (0-1)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTACCQ?\r") == "\r\n+CMQTTACCQ: 0,\"\",0\r\n+CMQTTACCQ: 1,\"\",0\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSTOP\r") == "\r\nOK\r\n\r\n+CMQTTSTOP: 0\r\n");
}

TEST_CASE("mqtt: the test forms give the manual's ranges") {
  mqtt_rig rig;
  CHECK(rig.feed("AT+CMQTTSSLCFG=?\r") == "\r\n+CMQTTSSLCFG: (0-1),(0-9)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTWILLTOPIC=?\r") == "\r\n+CMQTTWILLTOPIC: (0-1),(1-1024)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTWILLMSG=?\r") == "\r\n+CMQTTWILLMSG: (0-1),(1-1024),(0-2)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTCONNECT=?\r") ==
        "\r\n+CMQTTCONNECT: (0-1),(9-256),(1-64800),(0-1),(1-256),(1-256)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTDISC=?\r") == "\r\n+CMQTTDISC: (0-1),(0,60-180)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTTOPIC=?\r") == "\r\n+CMQTTTOPIC: (0-1),(1-1024)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTPAYLOAD=?\r") == "\r\n+CMQTTPAYLOAD: (0-1),(1-10240)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTPUB=?\r") == "\r\n+CMQTTPUB: (0-1),(0-2),(60-180),(0-1),(0-1)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSUBTOPIC=?\r") == "\r\n+CMQTTSUBTOPIC: (0-1),(1-1024),(0-2)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSUB=?\r") == "\r\n+CMQTTSUB: (0-1),(1-1024),(0-2),(0-1)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTUNSUBTOPIC=?\r") == "\r\n+CMQTTUNSUBTOPIC: (0-1),(1-1024)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTUNSUB=?\r") == "\r\n+CMQTTUNSUB: (0-1),(1-1024),(0-1)\r\n\r\nOK\r\n");
}

TEST_CASE("mqtt: CONNECT sends what the client was given, and the read forms show the connection") {
  mqtt_rig rig;
  rig.acquire();
  CHECK(rig.feed("AT+CMQTTWILLTOPIC=0,3\r") == "\r\n>");
  CHECK(rig.feed("w/t") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTWILLMSG=0,3,1\r") == "\r\n>");
  CHECK(rig.feed("bye") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTCONNECT?\r") == "\r\n+CMQTTCONNECT: 0\r\n+CMQTTCONNECT: 1\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTDISC?\r") == "\r\n+CMQTTDISC: 0,1\r\n+CMQTTDISC: 1,1\r\n\r\nOK\r\n");
  const stream_id id = rig.connect(0, ",\"u\",\"pw\"");
  CHECK(id >= agent::mqtt_service::id_base);
  CHECK(id < agent::http_service::id_base);
  CHECK(rig.io.opens.back().remote == agent::socket_endpoint{"broker.test", 1883});
  CHECK_FALSE(rig.io.opens.back().tls);
  CHECK(rig.io.sends.front().second ==
        mqtt::encode_connect({.client_id = "dev0",
                              .keepalive_seconds = 60,
                              .clean_session = true,
                              .user = "u",
                              .password = "pw",
                              .will = mqtt::will_message{"w/t", "bye", 1, false}}));
  CHECK(rig.feed("AT+CMQTTCONNECT?\r") ==
        "\r\n+CMQTTCONNECT: 0,\"tcp://broker.test:1883\",60,1,\"u\",\"pw\"\r\n+CMQTTCONNECT: 1\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTDISC?\r") == "\r\n+CMQTTDISC: 0,0\r\n+CMQTTDISC: 1,1\r\n\r\nOK\r\n");
  // Connected already; released only once disconnected.
  CHECK(rig.feed("AT+CMQTTCONNECT=0,\"tcp://broker.test:1883\",60\r") == "\r\n+CMQTTCONNECT: 0,19\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTREL=0\r") == "\r\n+CMQTTREL: 0,14\r\n\r\nERROR\r\n");
  // AT+CMQTTDISC: DISCONNECT written, then the stream closed and the URC.
  CHECK(rig.feed("AT+CMQTTDISC=0,120\r") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_disconnect());
  CHECK(rig.output().empty());
  rig.streams().on_sent(id, 2);
  CHECK(rig.output() == "\r\n+CMQTTDISC: 0,0\r\n");
  CHECK(rig.io.closes == std::vector<stream_id>{id});
  CHECK(rig.feed("AT+CMQTTDISC=0,120\r") == "\r\n+CMQTTDISC: 0,11\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTDISC=0,30\r") == "\r\nERROR\r\n");  // (0,60-180)
  CHECK(rig.feed("AT+CMQTTREL=0\r") == "\r\nOK\r\n");
}

TEST_CASE("mqtt: CONNECT refused by parameters, by the server and by the network") {
  mqtt_rig rig;
  CHECK(rig.feed("AT+CMQTTCONNECT=0,\"tcp://broker.test:1883\",60\r") == "\r\n+CMQTTCONNECT: 0,20\r\n\r\nERROR\r\n");
  rig.acquire();
  for (const char* bad : {"\"http://broker.test:1883\"", "\"tcp://broker.test\"", "\"tcp://:1883\"",
                          "\"tcp://broker.test:70000\"", "\"tcp://b:0\""}) {
    INFO(bad);
    CHECK(rig.feed("AT+CMQTTCONNECT=0," + std::string(bad) + ",60\r") == "\r\n+CMQTTCONNECT: 0,12\r\n\r\nERROR\r\n");
  }
  CHECK(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",0\r") == "\r\nERROR\r\n");      // keepalive 1-64800
  CHECK(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",64801\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",60,2\r") == "\r\nERROR\r\n");
  CHECK(rig.io.opens.empty());
  // The server refuses (CONNACK return codes 1-5 are the manual's 27-31), and the stream is closed.
  for (int code = 1; code <= 5; ++code) {
    REQUIRE(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",60\r") == "\r\nOK\r\n");
    const stream_id id = rig.io.opens.back().id;
    rig.streams().on_opened(id, stream_error::none);
    rig.streams().on_received(id, "\x20\x02\x00"s + static_cast<char>(code));
    CHECK(rig.output() == "\r\n+CMQTTCONNECT: 0," + std::to_string(26 + code) + "\r\n");
    CHECK(rig.io.closes.back() == id);
  }
  // The stream does not open: DNS 25, connect 3, timeout 17, handshake 32.
  const std::vector<std::pair<stream_error, std::string>> failures = {{stream_error::dns_failed, "25"},
                                                                      {stream_error::connect_failed, "3"},
                                                                      {stream_error::timeout, "17"},
                                                                      {stream_error::handshake_failed, "32"}};
  for (const auto& [error, code] : failures) {
    REQUIRE(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",60\r") == "\r\nOK\r\n");
    rig.streams().on_opened(rig.io.opens.back().id, error);
    CHECK(rig.output() == "\r\n+CMQTTCONNECT: 0," + code + "\r\n");
  }
  // A server that accepts the connection and never answers: the connect deadline, 17.
  REQUIRE(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",60\r") == "\r\nOK\r\n");
  rig.streams().on_opened(rig.io.opens.back().id, stream_error::none);
  CHECK(rig.timers.armed.at(timer_id::mqtt_answer_0) == std::chrono::seconds(120));
  rig.timers.fire(timer_id::mqtt_answer_0, rig.module);
  CHECK(rig.output() == "\r\n+CMQTTCONNECT: 0,17\r\n");
  CHECK(rig.io.closes.back() == rig.io.opens.back().id);
  // A server that closes before CONNACK: 26. One that sends garbage: 24.
  REQUIRE(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",60\r") == "\r\nOK\r\n");
  rig.streams().on_opened(rig.io.opens.back().id, stream_error::none);
  rig.streams().on_closed(rig.io.opens.back().id);
  CHECK(rig.output() == "\r\n+CMQTTCONNECT: 0,26\r\n");
  REQUIRE(rig.feed("AT+CMQTTCONNECT=0,\"tcp://b.test:1883\",60\r") == "\r\nOK\r\n");
  rig.streams().on_opened(rig.io.opens.back().id, stream_error::none);
  rig.streams().on_received(rig.io.opens.back().id, "\x00\x00"s);
  CHECK(rig.output() == "\r\n+CMQTTCONNECT: 0,24\r\n");
  // And after all that the client connects.
  rig.connect();
}

TEST_CASE("mqtt: an SSL client takes the SSL context AT+CMQTTSSLCFG names") {
  mqtt_rig rig;
  rig.acquire(1, 1);
  REQUIRE(rig.feed("AT+CSSLCFG=\"authmode\",2,1\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"cacert\",2,\"ca.pem\"\r") == "\r\nOK\r\n");
  REQUIRE(rig.feed("AT+CSSLCFG=\"enableSNI\",2,1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSSLCFG=1,2\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSSLCFG?\r") == "\r\n+CMQTTSSLCFG: 0,0\r\n+CMQTTSSLCFG: 1,2\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSSLCFG=1,10\r") == "\r\nERROR\r\n");
  // The CA is not downloaded yet: the manual's 33.
  CHECK(rig.feed("AT+CMQTTCONNECT=1,\"tcp://broker.test:8883\",60,1\r") == "\r\nOK\r\n\r\n+CMQTTCONNECT: 1,33\r\n");
  CHECK(rig.io.opens.empty());
  REQUIRE(rig.feed("AT+CCERTDOWN=\"ca.pem\",3\rPEM") == "\r\n>\r\nOK\r\n");
  const stream_id id = rig.connect(1);
  (void)id;
  const auto& tls = rig.io.opens.back().tls;
  REQUIRE(tls);
  CHECK(tls->verify_server);
  CHECK(tls->ca_pem == "PEM");
  CHECK(tls->sni == "broker.test");
}

TEST_CASE("mqtt: PUBLISH at QoS 0, 1 and 2") {
  mqtt_rig rig;
  rig.acquire();
  const stream_id id = rig.connect();
  CHECK(rig.feed("AT+CMQTTPUB=0,0,60\r") == "\r\n+CMQTTPUB: 0,18\r\n\r\nERROR\r\n");  // no topic
  CHECK(rig.feed("AT+CMQTTTOPIC=0,5\r") == "\r\n>");
  CHECK(rig.feed("a/b/c") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTPAYLOAD=0,5\r") == "\r\n>");
  CHECK(rig.feed("he\r\nl") == "\r\nOK\r\n");  // raw bytes: CR LF are payload
  CHECK(rig.feed("AT+CMQTTPUB=0,0,59\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTPUB=0,3,60\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTPUB=0,0,60\r") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_publish("a/b/c", "he\r\nl", 0, false, false, 0));
  CHECK(rig.output().empty());
  rig.streams().on_sent(id, rig.last_sent().size());
  CHECK(rig.output() == "\r\n+CMQTTPUB: 0,0\r\n");
  // The topic was used up.
  CHECK(rig.feed("AT+CMQTTPUB=0,0,60\r") == "\r\n+CMQTTPUB: 0,18\r\n\r\nERROR\r\n");

  // QoS 1, retained: PUBACK ends it.
  rig.feed("AT+CMQTTTOPIC=0,1\r");
  rig.feed("t");
  CHECK(rig.feed("AT+CMQTTPUB=0,1,60,1\r") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_publish("t", "", 1, true, false, 1));
  CHECK(rig.feed("AT+CMQTTPUB=0,1,60\r") == "\r\n+CMQTTPUB: 0,14\r\n\r\nERROR\r\n");  // busy
  rig.streams().on_sent(id, 1);
  rig.streams().on_received(id, mqtt::encode_ack(mqtt::packet_type::puback, 9));  // not ours
  CHECK(rig.output().empty());
  rig.streams().on_received(id, mqtt::encode_ack(mqtt::packet_type::puback, 1));
  CHECK(rig.output() == "\r\n+CMQTTPUB: 0,0\r\n");

  // QoS 2: PUBREC, our PUBREL, PUBCOMP.
  rig.feed("AT+CMQTTTOPIC=0,1\r");
  rig.feed("t");
  CHECK(rig.feed("AT+CMQTTPUB=0,2,60\r") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_publish("t", "", 2, false, false, 2));
  rig.streams().on_received(id, mqtt::encode_ack(mqtt::packet_type::pubrec, 2));
  CHECK(rig.last_sent() == mqtt::encode_ack(mqtt::packet_type::pubrel, 2));
  CHECK(rig.output().empty());
  rig.streams().on_received(id, mqtt::encode_ack(mqtt::packet_type::pubcomp, 2));
  CHECK(rig.output() == "\r\n+CMQTTPUB: 0,0\r\n");

  // No PUBACK within <pub_timeout>: 17.
  rig.feed("AT+CMQTTTOPIC=0,1\r");
  rig.feed("t");
  CHECK(rig.feed("AT+CMQTTPUB=0,1,90\r") == "\r\nOK\r\n");
  CHECK(rig.timers.armed.at(timer_id::mqtt_answer_0) == std::chrono::seconds(90));
  rig.timers.fire(timer_id::mqtt_answer_0, rig.module);
  CHECK(rig.output() == "\r\n+CMQTTPUB: 0,17\r\n");

  // A payload over the bound is refused before the prompt.
  CHECK(rig.feed("AT+CMQTTPAYLOAD=0,10241\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTTOPIC=0,1025\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTTOPIC=0,0\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTTOPIC=1,3\r") == "\r\n+CMQTTTOPIC: 1,20\r\n\r\nERROR\r\n");
  // Not connected: 11.
  rig.feed("AT+CMQTTACCQ=1,\"idle\"\r");
  rig.feed("AT+CMQTTTOPIC=1,1\r");
  rig.feed("t");
  CHECK(rig.feed("AT+CMQTTPUB=1,0,60\r") == "\r\n+CMQTTPUB: 1,11\r\n\r\nERROR\r\n");
}

TEST_CASE("mqtt: SUBSCRIBE from the topic list or one topic, UNSUBSCRIBE, and what the server publishes") {
  mqtt_rig rig;
  rig.acquire();
  const stream_id id = rig.connect();
  CHECK(rig.feed("AT+CMQTTSUB=0\r") == "\r\n+CMQTTSUB: 0,18\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTSUBTOPIC=0,3,1\r") == "\r\n>");
  CHECK(rig.feed("a/#") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSUBTOPIC=0,1,2\r") == "\r\n>");
  CHECK(rig.feed("b") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTSUBTOPIC=0,1,3\r") == "\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTSUB=0\r") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_subscribe(1, {{"a/#", 1}, {"b", 2}}));
  rig.streams().on_received(id, "\x90\x04\x00\x01\x01\x02"s);
  CHECK(rig.output() == "\r\n+CMQTTSUB: 0,0\r\n");
  // One topic in the command itself; a refusal (0x80) is 1.
  CHECK(rig.feed("AT+CMQTTSUB=0,4\r") == "\r\nERROR\r\n");  // the QoS is needed
  CHECK(rig.feed("AT+CMQTTSUB=0,4,0\r") == "\r\n>");
  CHECK(rig.feed("deny") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_subscribe(2, {{"deny", 0}}));
  rig.streams().on_received(id, "\x90\x03\x00\x02\x80"s);
  CHECK(rig.output() == "\r\n+CMQTTSUB: 0,1\r\n");
  // No SUBACK: 17.
  rig.feed("AT+CMQTTSUB=0,1,0\r");
  rig.feed("x");
  rig.timers.fire(timer_id::mqtt_answer_0, rig.module);
  CHECK(rig.output() == "\r\n+CMQTTSUB: 0,17\r\n");

  // What the server publishes comes as the +CMQTTRX* URCs; QoS 1 is acknowledged, QoS 2 received and completed.
  rig.streams().on_received(id, mqtt::encode_publish("a/x", "hello", 0, false, false, 0));
  CHECK(rig.output() ==
        "\r\n+CMQTTRXSTART: 0,3,5\r\n\r\n+CMQTTRXTOPIC: 0,3\r\na/x\r\n+CMQTTRXPAYLOAD: 0,5\r\nhello\r\n+CMQTTRXEND: 0\r\n");
  const std::string wire = mqtt::encode_publish("b", "q1", 1, false, false, 77);
  rig.streams().on_received(id, wire.substr(0, 3));  // a packet cut in two
  CHECK(rig.output().empty());
  rig.streams().on_received(id, wire.substr(3));
  CHECK(rig.output() ==
        "\r\n+CMQTTRXSTART: 0,1,2\r\n\r\n+CMQTTRXTOPIC: 0,1\r\nb\r\n+CMQTTRXPAYLOAD: 0,2\r\nq1\r\n+CMQTTRXEND: 0\r\n");
  CHECK(rig.last_sent() == mqtt::encode_ack(mqtt::packet_type::puback, 77));
  rig.streams().on_received(id, mqtt::encode_publish("b", "", 2, false, false, 78));
  CHECK(rig.output() == "\r\n+CMQTTRXSTART: 0,1,0\r\n\r\n+CMQTTRXTOPIC: 0,1\r\nb\r\n+CMQTTRXPAYLOAD: 0,0\r\n"
                        "\r\n+CMQTTRXEND: 0\r\n");
  CHECK(rig.last_sent() == mqtt::encode_ack(mqtt::packet_type::pubrec, 78));
  rig.streams().on_received(id, mqtt::encode_ack(mqtt::packet_type::pubrel, 78));
  CHECK(rig.last_sent() == mqtt::encode_ack(mqtt::packet_type::pubcomp, 78));
  // A long payload comes in blocks of 1024.
  rig.streams().on_received(id, mqtt::encode_publish("b", std::string(1500, 'p'), 0, false, false, 0));
  CHECK(rig.output() == "\r\n+CMQTTRXSTART: 0,1,1500\r\n\r\n+CMQTTRXTOPIC: 0,1\r\nb\r\n+CMQTTRXPAYLOAD: 0,1024\r\n" +
                            std::string(1024, 'p') + "\r\n+CMQTTRXPAYLOAD: 0,476\r\n" + std::string(476, 'p') +
                            "\r\n+CMQTTRXEND: 0\r\n");

  // UNSUBSCRIBE from the list and with one topic.
  CHECK(rig.feed("AT+CMQTTUNSUB=0\r") == "\r\n+CMQTTUNSUB: 0,18\r\n\r\nERROR\r\n");
  rig.feed("AT+CMQTTUNSUBTOPIC=0,3\r");
  CHECK(rig.feed("a/#") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CMQTTUNSUB=0\r") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_unsubscribe(4, {"a/#"}));
  rig.streams().on_received(id, mqtt::encode_ack(mqtt::packet_type::unsuback, 4));
  CHECK(rig.output() == "\r\n+CMQTTUNSUB: 0,0\r\n");
  CHECK(rig.feed("AT+CMQTTUNSUB=0,1\r") == "\r\n>");
  CHECK(rig.feed("b") == "\r\nOK\r\n");
  CHECK(rig.last_sent() == mqtt::encode_unsubscribe(5, {"b"}));
}

TEST_CASE("mqtt: keepalive pings only while connected, and a silent or vanished server loses the connection") {
  mqtt_rig rig;
  rig.acquire();
  CHECK(rig.timers.armed.count(timer_id::mqtt_keepalive_0) == 0);
  const stream_id id = rig.connect();
  CHECK(rig.timers.armed.at(timer_id::mqtt_keepalive_0) == std::chrono::seconds(60));
  rig.timers.fire(timer_id::mqtt_keepalive_0, rig.module);
  CHECK(rig.last_sent() == mqtt::encode_pingreq());
  rig.streams().on_received(id, "\xd0\x00"s);
  rig.timers.fire(timer_id::mqtt_keepalive_0, rig.module);
  CHECK(rig.last_sent() == mqtt::encode_pingreq());
  CHECK(rig.output().empty());
  // No PINGRESP within the interval.
  rig.timers.fire(timer_id::mqtt_keepalive_0, rig.module);
  CHECK(rig.output() == "\r\n+CMQTTPING: 0,17\r\n\r\n+CMQTTCONNLOST: 0,1\r\n");
  CHECK(rig.io.closes.back() == id);
  CHECK(rig.timers.armed.count(timer_id::mqtt_keepalive_0) == 0);
  CHECK(rig.feed("AT+CMQTTDISC?\r") == "\r\n+CMQTTDISC: 0,1\r\n+CMQTTDISC: 1,1\r\n\r\nOK\r\n");

  // The server goes away: +CMQTTCONNLOST, and the client can connect again.
  const stream_id again = rig.connect();
  rig.streams().on_closed(again);
  CHECK(rig.output() == "\r\n+CMQTTCONNLOST: 0,1\r\n");
  CHECK(rig.timers.armed.count(timer_id::mqtt_keepalive_0) == 0);
  // A packet over the bound breaks the stream the same way.
  const stream_id third = rig.connect();
  rig.streams().on_received(third, "\x30\xff\xff\x7f"s);
  CHECK(rig.output() == "\r\n+CMQTTCONNLOST: 0,1\r\n");
  CHECK(rig.io.closes.back() == third);
  // A whole publish of the largest size still fits.
  const stream_id fourth = rig.connect();
  rig.streams().on_received(fourth, mqtt::encode_publish(std::string(1024, 't'), std::string(10240, 'p'), 0, false,
                                                        false, 0));
  CHECK(rig.output().find("+CMQTTRXEND: 0") != std::string::npos);
}

TEST_CASE("mqtt: the data call dropping ends the service") {
  mqtt_rig rig;
  rig.acquire();
  const stream_id id = rig.connect();
  rig.module.world_event([](agent::radio_world& w) { return w.coverage_lost(); });
  const std::string out = rig.output();
  CHECK(out.find("\r\n+CMQTTCONNLOST: 0,3\r\n") != std::string::npos);
  CHECK(out.find("\r\n+CMQTTNONET\r\n") != std::string::npos);
  CHECK(rig.io.closes.back() == id);
  CHECK(rig.feed("AT+CMQTTACCQ?\r") == "\r\n+CMQTTACCQ: 0,\"\",0\r\n+CMQTTACCQ: 1,\"\",0\r\n\r\nOK\r\n");
}

TEST_CASE("mqtt: the topic lists a client keeps before a SUB or UNSUB are bounded") {
  mqtt_rig rig;
  rig.acquire();
  for (std::size_t i = 0; i < agent::mqtt_service::max_filters; ++i) {
    REQUIRE(rig.feed("AT+CMQTTSUBTOPIC=0,1,0\r") == "\r\n>");
    REQUIRE(rig.feed("t") == "\r\nOK\r\n");
    REQUIRE(rig.feed("AT+CMQTTUNSUBTOPIC=0,1\r") == "\r\n>");
    REQUIRE(rig.feed("t") == "\r\nOK\r\n");
  }
  CHECK(rig.feed("AT+CMQTTSUBTOPIC=0,1,0\r") == "\r\n+CMQTTSUBTOPIC: 0,1\r\n\r\nERROR\r\n");
  CHECK(rig.feed("AT+CMQTTUNSUBTOPIC=0,1\r") == "\r\n+CMQTTUNSUBTOPIC: 0,1\r\n\r\nERROR\r\n");
  // Released, the client forgets them.
  CHECK(rig.feed("AT+CMQTTREL=0\r") == "\r\nOK\r\n");
  rig.acquire();
  CHECK(rig.feed("AT+CMQTTSUBTOPIC=0,1,0\r") == "\r\n>");
  CHECK(rig.feed("t") == "\r\nOK\r\n");
}
