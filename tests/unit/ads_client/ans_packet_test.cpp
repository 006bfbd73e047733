// ANS packets as ADA's notify.c lays them out: both ends of the codec, and what a receiver must refuse.
#include <catch2/catch.hpp>

#include "ads_client/ans_packet.hpp"

namespace ans = ads_client::ans;

namespace {

const std::string key = "0123456789abcdef";
const std::string iv(16, '\x5a');

std::optional<std::string> key_of(std::string_view dsn) {
  if (dsn == "AC000W000000001") return key;
  return std::nullopt;
}

}  // namespace

TEST_CASE("a registration carries the DSN padded to 4 bytes and a SHA-1 signature the service checks", "[ans]") {
  const ans::registration reg{"AC000W000000001", {ans::op::reg, 7, 123456}, 30};
  const std::string packet = ans::encode_registration(reg, key);
  // format, error, DSN length (15 + NUL, a multiple of 4), DSN, 8-byte header, probe delay, 20-byte signature.
  CHECK(packet.size() == 3 + 16 + 8 + 2 + 20);
  CHECK(packet[0] == 0);
  CHECK(static_cast<unsigned char>(packet[2]) == 16);
  const auto read = ans::decode_registration(packet, key_of);
  REQUIRE(read.has_value());
  CHECK(read->dsn == "AC000W000000001");
  CHECK(read->head.seq == 7);
  CHECK(read->head.time_ms == 123456);
  CHECK(read->probe_delay == 30);

  // Signed with another key, from an unknown DSN, or cut short: refused.
  CHECK_FALSE(ans::decode_registration(ans::encode_registration(reg, "fedcba9876543210"), key_of));
  CHECK_FALSE(ans::decode_registration(ans::encode_registration({"AC000W000000002", reg.head, 30}, key), key_of));
  for (std::size_t cut = 0; cut < packet.size(); ++cut)
    CHECK_FALSE(ans::decode_registration(packet.substr(0, cut), key_of));
}

TEST_CASE("other messages are AES-128-CBC sealed in whole blocks ending in a CRC-8, behind the key in clear",
          "[ans]") {
  const ans::message sent{0xa1b2c3d4, {ans::op::keep_alive, 9, 42}, ans::period_field(30)};
  const std::string packet = ans::encode_message(sent, key, iv);
  CHECK(packet[0] == 4);
  CHECK(ans::peek_reg_key(packet) == 0xa1b2c3d4u);
  CHECK((packet.size() - 24) % 16 == 0);
  CHECK(packet.substr(8, 16) == iv);
  const auto read = ans::decode_message(packet, key);
  REQUIRE(read.has_value());
  CHECK(read->reg_key == 0xa1b2c3d4u);
  CHECK(read->head.code == ans::op::keep_alive);
  CHECK(read->head.seq == 9);
  CHECK(ans::read_u16(read->fields, 0) == 30);

  // The wrong key, or any flipped byte of the sealed part, fails the CRC (or the header).
  CHECK_FALSE(ans::decode_message(packet, "fedcba9876543210"));
  for (std::size_t at = 24; at < packet.size(); ++at) {
    std::string tampered = packet;
    tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
    CHECK_FALSE(ans::decode_message(tampered, key));
  }
}

TEST_CASE("the CRC-8 of a text followed by its CRC is zero, as ADA's receiver checks", "[ans]") {
  for (const std::string& text : {std::string(), std::string("a"), std::string("123456789"), std::string(31, '\0')}) {
    const auto crc = ans::crc8(text);
    CHECK(ans::crc8(text + static_cast<char>(crc)) == 0);
  }
  CHECK(ans::crc8("123456789") != ans::crc8("123456780"));
}
