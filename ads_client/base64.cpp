#include "ads_client/base64.hpp"

#include <array>
#include <cstdint>

namespace ads_client {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int invalid = -1;
constexpr int padding = -2;
constexpr int whitespace = -3;

constexpr std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  for (auto& entry : table) entry = invalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  table['='] = padding;
  for (char c : {' ', '\t', '\r', '\n'}) table[static_cast<unsigned char>(c)] = whitespace;
  return table;
}

constexpr std::array<int, 256> decode_table = make_decode_table();

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                                static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[group >> 18 & 63];
    out += alphabet[group >> 12 & 63];
    out += alphabet[group >> 6 & 63];
    out += alphabet[group & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += alphabet[group >> 18 & 63];
    out += alphabet[group >> 12 & 63];
    out += rest == 2 ? alphabet[group >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;
  int sextets = 0;       // sextets collected in the current quantum
  int pads = 0;          // '=' seen; after the first one only more '=' (or whitespace) may follow
  for (char c : text) {
    const int value = decode_table[static_cast<unsigned char>(c)];
    if (value == whitespace) continue;
    if (value == invalid) return std::nullopt;
    if (value == padding) {
      // Padding only completes a quantum holding 2 or 3 sextets.
      if (sextets + pads < 2) return std::nullopt;
      ++pads;
      if (sextets + pads > 4) return std::nullopt;
      continue;
    }
    if (pads > 0) return std::nullopt;
    group = group << 6 | static_cast<std::uint32_t>(value);
    if (++sextets == 4) {
      out += static_cast<char>(group >> 16 & 0xff);
      out += static_cast<char>(group >> 8 & 0xff);
      out += static_cast<char>(group & 0xff);
      group = 0;
      sextets = 0;
    }
  }
  if (pads > 0) {
    if (sextets + pads != 4) return std::nullopt;
    // Bits below the last full byte must be zero in canonical base64.
    if (sextets == 2) {
      if ((group & 0xf) != 0) return std::nullopt;
      out += static_cast<char>(group >> 4 & 0xff);
    } else {
      if ((group & 0x3) != 0) return std::nullopt;
      out += static_cast<char>(group >> 10 & 0xff);
      out += static_cast<char>(group >> 2 & 0xff);
    }
    return out;
  }
  if (sextets != 0) return std::nullopt;  // a truncated quantum without padding
  return out;
}

}  // namespace ads_client
