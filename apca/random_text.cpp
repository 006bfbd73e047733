#include "apca/random_text.hpp"

#include <cstdint>

#include "common/random_bytes.hpp"

namespace apca {

double random_unit() {
  unsigned char bytes[4];
  common::random_bytes(bytes, sizeof bytes);
  std::uint32_t value = 0;
  for (unsigned char b : bytes) value = value << 8 | b;
  return value / 4294967296.0;
}

}  // namespace apca
