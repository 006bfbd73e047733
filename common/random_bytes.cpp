#include "common/random_bytes.hpp"

#include <openssl/rand.h>

#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace common {
namespace {
std::atomic<std::size_t> calls{0};
}  // namespace

void random_bytes(void* out, std::size_t size) {
  calls.fetch_add(1, std::memory_order_relaxed);
  auto* bytes = static_cast<unsigned char*>(out);
  while (size > 0) {
    const int chunk = size > INT_MAX ? INT_MAX : static_cast<int>(size);
    if (RAND_bytes(bytes, chunk) != 1) {
      std::fputs("fatal: the system's random number generator failed; refusing to mint predictable secrets\n", stderr);
      std::abort();
    }
    bytes += chunk;
    size -= static_cast<std::size_t>(chunk);
  }
}

std::string random_bytes(std::size_t size) {
  std::string out(size, '\0');
  random_bytes(out.data(), out.size());
  return out;
}

std::size_t random_bytes_calls() { return calls.load(std::memory_order_relaxed); }

}  // namespace common
