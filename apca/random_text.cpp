#include "apca/random_text.hpp"

#include <openssl/rand.h>

#include <cstdint>

namespace apca {

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  return out;
}

double random_unit() {
  const std::string bytes = random_bytes(4);
  std::uint32_t value = 0;
  for (unsigned char b : bytes) value = value << 8 | b;
  return value / 4294967296.0;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0x0F];
  }
  return out;
}

}  // namespace apca
