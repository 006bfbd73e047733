#include "ads_client/ans_packet.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

namespace ads_client::ans {
namespace {

constexpr std::uint8_t protocol_version = 1;
constexpr std::uint8_t format_dsn = 0;
constexpr std::uint8_t format_iv_key = 4;
constexpr std::size_t header_size = 8;
constexpr std::size_t iv_size = 16;
constexpr std::size_t key_head_size = 1 + 3 + 4 + iv_size;  // format, reserved, registration key, IV
constexpr std::size_t signature_size = SHA_DIGEST_LENGTH;
constexpr std::size_t block = 16;

void put_u16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value & 0xff);
}

void put_u32(std::string& out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value >> 16));
  put_u16(out, static_cast<std::uint16_t>(value & 0xffff));
}

std::uint32_t get_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

std::string encode_header(const header& head) {
  std::string out;
  out += static_cast<char>(protocol_version);
  out += static_cast<char>(head.code);
  put_u16(out, head.seq);
  put_u32(out, head.time_ms);
  return out;
}

std::optional<header> decode_header(std::string_view bytes) {
  if (bytes.size() < header_size || static_cast<unsigned char>(bytes[0]) != protocol_version) return std::nullopt;
  const auto code = static_cast<unsigned char>(bytes[1]);
  if (code < static_cast<unsigned char>(op::reg) || code > static_cast<unsigned char>(op::unreg_resp))
    return std::nullopt;
  return header{static_cast<op>(code), *read_u16(bytes, 2), get_u32(bytes, 4)};
}

// SHA-1 over the packet, then the key: how a registration proves its sender knows the key without sending it.
std::string signature(std::string_view signed_part, std::string_view key) {
  std::string digest(signature_size, '\0');
  std::string input(signed_part);
  input += key;
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

// AES-128-CBC without padding over whole blocks; nullopt on a key or length OpenSSL refuses.
std::optional<std::string> aes_cbc(bool encrypt, std::string_view key, std::string_view iv, std::string_view in) {
  if (key.size() != key_length || iv.size() != iv_size || in.size() % block != 0) return std::nullopt;
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, k, v, encrypt ? 1 : 0) != 1) return std::nullopt;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(in.size() + block, '\0');
  int written = 0;
  int tail = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), o, &written, reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), o + written, &tail) != 1)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(written + tail));
  return out;
}

}  // namespace

std::uint8_t crc8(std::string_view bytes, std::uint8_t crc) {
  for (const char byte : bytes) {
    crc = static_cast<std::uint8_t>(crc ^ static_cast<unsigned char>(byte));
    for (int bit = 0; bit < 8; ++bit)
      crc = static_cast<std::uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

std::string period_field(std::uint16_t seconds) {
  std::string out;
  put_u16(out, seconds);
  return out;
}

std::string error_field(std::uint8_t error) { return std::string(1, static_cast<char>(error)); }

std::optional<std::uint16_t> read_u16(std::string_view fields, std::size_t at) {
  if (fields.size() < at + 2) return std::nullopt;
  return static_cast<std::uint16_t>((static_cast<unsigned char>(fields[at]) << 8) |
                                    static_cast<unsigned char>(fields[at + 1]));
}

std::optional<std::uint8_t> read_u8(std::string_view fields, std::size_t at) {
  if (fields.size() < at + 1) return std::nullopt;
  return static_cast<std::uint8_t>(fields[at]);
}

std::string encode_registration(const registration& reg, std::string_view key) {
  std::string dsn_part = reg.dsn;
  dsn_part += '\0';
  while (dsn_part.size() % 4 != 0) dsn_part += '\0';
  std::string out;
  out += static_cast<char>(format_dsn);
  out += '\0';  // error
  out += static_cast<char>(dsn_part.size());
  out += dsn_part;
  out += encode_header(reg.head);
  put_u16(out, reg.probe_delay);
  out += signature(out, key);
  return out;
}

std::optional<registration> decode_registration(
    std::string_view packet, const std::function<std::optional<std::string>(std::string_view dsn)>& key_for) {
  if (packet.size() < 3 || packet[0] != static_cast<char>(format_dsn)) return std::nullopt;
  const std::size_t dsn_size = static_cast<unsigned char>(packet[2]);
  const std::size_t signed_size = 3 + dsn_size + header_size + 2;
  if (dsn_size == 0 || packet.size() != signed_size + signature_size) return std::nullopt;
  const std::string_view dsn_part = packet.substr(3, dsn_size);
  const auto end = dsn_part.find('\0');
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  registration reg;
  reg.dsn = std::string(dsn_part.substr(0, end));
  const auto head = decode_header(packet.substr(3 + dsn_size));
  if (!head || head->code != op::reg) return std::nullopt;
  reg.head = *head;
  reg.probe_delay = *read_u16(packet, 3 + dsn_size + header_size);
  const auto key = key_for(reg.dsn);
  if (!key || signature(packet.substr(0, signed_size), *key) != packet.substr(signed_size)) return std::nullopt;
  return reg;
}

std::string encode_message(const message& msg, std::string_view key, std::string_view iv) {
  std::string clear = encode_header(msg.head) + msg.fields;
  const std::size_t sealed = (clear.size() + 1 + block - 1) / block * block;  // room for the CRC, whole blocks
  clear.resize(sealed - 1, '\0');
  clear += static_cast<char>(crc8(clear));
  std::string out;
  out += static_cast<char>(format_iv_key);
  out.append(3, '\0');
  put_u32(out, msg.reg_key);
  out += iv;
  out += aes_cbc(true, key, iv, clear).value_or(std::string{});
  return out;
}

std::optional<std::uint32_t> peek_reg_key(std::string_view packet) {
  if (packet.size() < key_head_size || packet[0] != static_cast<char>(format_iv_key)) return std::nullopt;
  return get_u32(packet, 4);
}

std::optional<message> decode_message(std::string_view packet, std::string_view key) {
  const auto reg_key = peek_reg_key(packet);
  if (!reg_key || packet.size() == key_head_size) return std::nullopt;
  const auto clear = aes_cbc(false, key, packet.substr(8, iv_size), packet.substr(key_head_size));
  if (!clear || crc8(*clear) != 0) return std::nullopt;
  const auto head = decode_header(*clear);
  if (!head) return std::nullopt;
  return message{*reg_key, *head, clear->substr(header_size, clear->size() - header_size - 1)};
}

}  // namespace ads_client::ans
