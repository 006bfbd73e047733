#pragma once
// ans_packet: the UDP packets of Ayla's notification service (ANS), sans-I/O, for both ends: the device that
// registers and keeps its NAT mapping alive, and the service that tells it "something is queued, GET commands".
// The layout is the one ADA's notify.c builds and reads (its notify_proto.h, protocol version 1):
//   registration  clear: format 0, error, DSN length (NUL and padding to 4 included), DSN, header, probe delay,
//                 then SHA-1 over everything before it followed by the cipher key;
//   all others    format 4, 3 reserved bytes, the 32-bit registration key, a 16-byte IV, then AES-128-CBC of
//                 header + fields + zero padding + a CRC-8 (polynomial 7, start 0xff) so the block is a multiple
//                 of 16 bytes and the CRC of the whole clear text is 0.
// Header: version 1, opcode, sequence (16 bits), milliseconds on the sender's clock (32 bits), big-endian.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ads_client::ans {

inline constexpr std::size_t key_length = 16;  // AES-128: GET /dsns's ans_cipher_key, base64-decoded
inline constexpr std::uint16_t default_port = 55055;

enum class op : std::uint8_t {
  reg = 1,
  reg_resp = 2,
  req_probe = 3,
  req_probe_resp = 4,
  probe = 5,
  probe_resp = 6,
  keep_alive = 7,
  keep_alive_resp = 8,
  notify = 9,
  notify_resp = 10,
  unreg = 11,
  unreg_resp = 12,
};

struct header {
  op code = op::notify;
  std::uint16_t seq = 0;
  std::uint32_t time_ms = 0;
};

struct registration {
  std::string dsn;
  header head;
  std::uint16_t probe_delay = 0;
};

// A key-encapsulated message: its header and the op's fields (still followed by the zero padding).
struct message {
  std::uint32_t reg_key = 0;
  header head;
  std::string fields;
};

// The op-specific fields, encoded (big-endian) and read.
std::string period_field(std::uint16_t seconds);  // keep_alive: the period in use; reg_resp: with error_field
std::string error_field(std::uint8_t error);      // the responses' error code, 0 = none
std::optional<std::uint16_t> read_u16(std::string_view fields, std::size_t at);
std::optional<std::uint8_t> read_u8(std::string_view fields, std::size_t at);

std::string encode_registration(const registration& reg, std::string_view key);
// Reads a registration; `key_for(dsn)` gives that device's cipher key (nullopt: unknown device). nullopt when the
// packet is malformed, the DSN unknown or the signature wrong.
std::optional<registration> decode_registration(
    std::string_view packet, const std::function<std::optional<std::string>(std::string_view dsn)>& key_for);

// `iv` is 16 random bytes.
std::string encode_message(const message& msg, std::string_view key, std::string_view iv);
// The registration key of a format-4 packet, so the receiver can find the key to decrypt with.
std::optional<std::uint32_t> peek_reg_key(std::string_view packet);
// nullopt when the packet is not format 4, does not decrypt to a whole block or its CRC is wrong.
std::optional<message> decode_message(std::string_view packet, std::string_view key);

// CRC-8 as ADA's libayla computes it (polynomial x^8+x^2+x+1, MSB first); exposed for tests.
std::uint8_t crc8(std::string_view bytes, std::uint8_t crc = 0xff);

}  // namespace ads_client::ans
