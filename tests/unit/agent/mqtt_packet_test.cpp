#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "agent/mqtt_packet.hpp"

using namespace agent::mqtt;
using namespace std::string_literals;

namespace {

// Every packet `wire` holds, fed in two parts cut at `split`.
std::vector<packet> read_split(const std::string& wire, std::size_t split, std::size_t max_packet = 1 << 20) {
  packet_reader reader(max_packet);
  std::vector<packet> packets;
  for (std::string_view part : {std::string_view(wire).substr(0, split), std::string_view(wire).substr(split)}) {
    reader.feed(part);
    while (auto p = reader.next()) packets.push_back(*p);
  }
  REQUIRE(reader.state() == packet_reader::status::reading);
  return packets;
}

}  // namespace

TEST_CASE("mqtt packet: remaining length at its one- to four-byte edges") {
  CHECK(encode_remaining_length(0) == "\x00"s);
  CHECK(encode_remaining_length(127) == "\x7f");
  CHECK(encode_remaining_length(128) == "\x80\x01");
  CHECK(encode_remaining_length(16383) == "\xff\x7f");
  CHECK(encode_remaining_length(16384) == "\x80\x80\x01");
  CHECK(encode_remaining_length(2097152) == "\x80\x80\x80\x01");
  CHECK(encode_remaining_length(max_remaining_length) == "\xff\xff\xff\x7f");
}

TEST_CASE("mqtt packet: CONNECT as MQTT 3.1.1 lays it out") {
  CHECK(encode_connect({.client_id = "m1", .keepalive_seconds = 60, .clean_session = true}) ==
        "\x10\x0e\x00\x04MQTT\x04\x02\x00\x3c\x00\x02m1"s);
  const std::string full = encode_connect({.client_id = "c",
                                           .keepalive_seconds = 300,
                                           .clean_session = false,
                                           .user = "u",
                                           .password = "pw",
                                           .will = will_message{"w/t", "bye", 1, false}});
  // user, password, will QoS 1, will flag; no clean session
  CHECK(full == "\x10\x1e\x00\x04MQTT\x04\xcc\x01\x2c\x00\x01" "c" "\x00\x03w/t\x00\x03" "bye" "\x00\x01u\x00\x02pw"s);
}

TEST_CASE("mqtt packet: PUBLISH, SUBSCRIBE, UNSUBSCRIBE and the acks") {
  CHECK(encode_publish("a/b", "hi", 0, false, false, 7) == "\x30\x07\x00\x03" "a/bhi"s);  // no id at QoS 0
  CHECK(encode_publish("a/b", "hi", 1, true, false, 7) == "\x33\x09\x00\x03" "a/b\x00\x07hi"s);
  CHECK(encode_publish("t", "", 2, false, true, 0x102) == "\x3c\x05\x00\x01t\x01\x02"s);
  CHECK(encode_subscribe(1, {{"a/#", 1}, {"b", 0}}) == "\x82\x0c\x00\x01\x00\x03" "a/#\x01\x00\x01" "b\x00"s);
  CHECK(encode_unsubscribe(2, {"a/#"}) == "\xa2\x07\x00\x02\x00\x03" "a/#"s);
  CHECK(encode_ack(packet_type::puback, 5) == "\x40\x02\x00\x05"s);
  CHECK(encode_ack(packet_type::pubrec, 5) == "\x50\x02\x00\x05"s);
  CHECK(encode_ack(packet_type::pubrel, 5) == "\x62\x02\x00\x05"s);
  CHECK(encode_ack(packet_type::pubcomp, 5) == "\x70\x02\x00\x05"s);
  CHECK(encode_pingreq() == "\xc0\x00"s);
  CHECK(encode_disconnect() == "\xe0\x00"s);
}

TEST_CASE("mqtt packet: every server packet is read whole, the stream cut at every offset") {
  const std::string big_payload(200, 'x');  // a two-byte remaining length
  const std::string wire = "\x20\x02\x01\x00"s                              // CONNACK, session present
                           + "\x90\x05\x00\x01\x01\x80\x00"s                 // SUBACK 1: QoS 1, refused, QoS 0
                           + "\xb0\x02\x00\x02"s                             // UNSUBACK 2
                           + "\x40\x02\x00\x03"s + "\x50\x02\x00\x04"s       // PUBACK 3, PUBREC 4
                           + "\x62\x02\x00\x05"s + "\x70\x02\x00\x06"s       // PUBREL 5, PUBCOMP 6
                           + "\xd0\x00"s                                     // PINGRESP
                           + encode_publish("s/t", big_payload, 1, true, false, 9)  // PUBLISH from the server
                           + encode_publish("q0", "", 0, false, false, 0);
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    INFO("split at " << split);
    const auto packets = read_split(wire, split);
    REQUIRE(packets.size() == 10);
    CHECK(packets[0].type == packet_type::connack);
    CHECK(packets[0].session_present);
    CHECK(packets[0].return_code == 0);
    CHECK(packets[1].type == packet_type::suback);
    CHECK(packets[1].packet_id == 1);
    CHECK(packets[1].granted == std::vector<std::uint8_t>{1, 0x80, 0});
    CHECK(packets[2].type == packet_type::unsuback);
    CHECK(packets[3].packet_id == 3);
    CHECK(packets[4].type == packet_type::pubrec);
    CHECK(packets[5].type == packet_type::pubrel);
    CHECK(packets[6].packet_id == 6);
    CHECK(packets[7].type == packet_type::pingresp);
    CHECK(packets[8].type == packet_type::publish);
    CHECK(packets[8].topic == "s/t");
    CHECK(packets[8].payload == big_payload);
    CHECK(packets[8].qos == 1);
    CHECK(packets[8].retain);
    CHECK(packets[8].packet_id == 9);
    CHECK(packets[9].topic == "q0");
    CHECK(packets[9].payload.empty());
  }
}

TEST_CASE("mqtt packet: a bad remaining length, a bad body or a packet over the bound breaks the stream") {
  const auto state_after = [](const std::string& wire, std::size_t max_packet = 64) {
    packet_reader reader(max_packet);
    reader.feed(wire);
    while (reader.next()) {
    }
    return reader.state();
  };
  using status = packet_reader::status;
  CHECK(state_after("\x30\xff\xff\xff\xff\x01"s) == status::malformed);  // a fifth length byte
  CHECK(state_after("\x20\x03\x00\x00\x00"s) == status::malformed);       // CONNACK of 3 bytes
  CHECK(state_after("\x60\x02\x00\x01"s) == status::malformed);  // PUBREL without its flags
  CHECK(state_after("\x36\x03\x00\x01t"s) == status::malformed);          // PUBLISH at QoS 3
  CHECK(state_after("\x30\x03\x00\x05t"s) == status::malformed);          // topic longer than the packet
  CHECK(state_after("\x10\x00"s) == status::malformed);                   // a CONNECT: servers do not send one
  CHECK(state_after("\x00\x00"s) == status::malformed);                   // type 0
  CHECK(state_after("\x90\x02\x00\x01"s) == status::malformed);           // SUBACK with no code
  CHECK(state_after(encode_publish("t", std::string(62, 'x'), 0, false, false, 0)) == status::too_large);
  CHECK(state_after(encode_publish("t", std::string(61, 'x'), 0, false, false, 0)) == status::reading);
  // Over the bound is refused from the header alone, before the body arrives.
  CHECK(state_after("\x30\x80\x80\x01"s) == status::too_large);
  // A partial header waits.
  CHECK(state_after("\x30\x80"s) == status::reading);
  // After a break nothing more is read, until reset.
  packet_reader reader(64);
  reader.feed("\x00\x00\xd0\x00"s);
  CHECK_FALSE(reader.next());
  reader.feed("\xd0\x00"s);
  CHECK_FALSE(reader.next());
  reader.reset();
  reader.feed("\xd0\x00"s);
  CHECK(reader.next());
}
