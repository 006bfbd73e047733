#pragma once
// Secure random bytes from OpenSSL's CSPRNG. A failure aborts the process: a caller that went on would mint
// predictable secrets (tokens, salts, serials), which is worse than stopping.
#include <cstddef>
#include <string>

namespace common {

// Fills [out, out + size) or aborts.
void random_bytes(void* out, std::size_t size);

// `size` random bytes as a string (raw bytes, not text).
std::string random_bytes(std::size_t size);

// Counts every call since the process started: lets a test prove that a caller drew its secret here.
std::size_t random_bytes_calls();

}  // namespace common
