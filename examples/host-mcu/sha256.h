/* SHA-256 (FIPS 180-4), streaming: a host image is hashed as its parts arrive, never held whole. */
#ifndef HOST_MCU_SHA256_H
#define HOST_MCU_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t state[8];
  uint64_t length; /* bytes hashed so far */
  uint8_t block[64];
  size_t block_used;
} sha256_context;

void sha256_start(sha256_context *hash);
void sha256_add(sha256_context *hash, const uint8_t *bytes, size_t size);
void sha256_finish(sha256_context *hash, uint8_t digest[32]);

#endif
