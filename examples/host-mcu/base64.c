#include "base64.h"

static int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int base64_decode(const char *text, size_t size, uint8_t *out, size_t capacity) {
  if (size % 4 != 0) return -1;
  size_t written = 0;
  for (size_t at = 0; at < size; at += 4) {
    const int padding = (text[at + 3] == '=') + (text[at + 2] == '=');
    if (padding > 0 && at + 4 != size) return -1; /* '=' only at the very end */
    uint32_t group = 0;
    for (int i = 0; i < 4 - padding; ++i) {
      const int value = sextet(text[at + i]);
      if (value < 0) return -1;
      group |= (uint32_t)value << (18 - 6 * i);
    }
    const int bytes = 3 - padding;
    if (written + (size_t)bytes > capacity) return -1;
    for (int i = 0; i < bytes; ++i) out[written++] = (uint8_t)(group >> (16 - 8 * i));
  }
  return (int)written;
}
