/* Base64 (RFC 4648) decoding of the module's OTA parts, into a caller's buffer. */
#ifndef HOST_MCU_BASE64_H
#define HOST_MCU_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Decodes `text` (length `size`, padded) into `out`; the byte count, or -1 for bad text or too small a buffer. */
int base64_decode(const char *text, size_t size, uint8_t *out, size_t capacity);

#endif
