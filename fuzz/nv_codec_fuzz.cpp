// The NV codec's decoder on any bytes (a torn, truncated or tampered slot file): it never crashes, and what it
// accepts survives an encode/decode round trip unchanged.
//
// Input: a slot file as stored, or "S<image without its digest>": the harness appends the right SHA-256, so the
// fuzzer reaches the parser behind the checksum (which it could never forge).
#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config_store/nv_codec.hpp"
#include "fuzz/records.hpp"

namespace {

std::string sealed(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(body.data(), body.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(body) + std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::string bytes = !input.empty() && input.front() == 'S' ? sealed(input.substr(1)) : std::string(input);
  const auto decoded = config_store::decode_nv(bytes);
  if (!decoded) {
    if (config_store::describe(decoded.error()).empty()) std::abort();
    return 0;
  }
  const auto again = config_store::decode_nv(config_store::encode_nv(decoded->image, decoded->generation));
  if (!again || again->image != decoded->image || again->generation != decoded->generation) {
    std::abort();
  }
  return 0;
}
