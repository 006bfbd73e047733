// base64 (keys, OTA image parts): decoding any text never crashes; what decodes re-encodes to text that decodes
// to the same bytes; any bytes survive an encode/decode round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ads_client/base64.hpp"
#include "fuzz/records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  if (const auto decoded = ads_client::base64_decode(input)) {
    if (ads_client::base64_decode(ads_client::base64_encode(*decoded)) != *decoded) std::abort();
  }
  const std::string encoded = ads_client::base64_encode(input);
  if (encoded.size() != (size + 2) / 3 * 4) std::abort();
  if (ads_client::base64_decode(encoded) != input) std::abort();
  return 0;
}
