#pragma once
// Random bytes and hex text, for salts, the in-field provisioning nonce and backoff jitter.
#include <cstddef>
#include <string>
#include <string_view>

namespace apca {

std::string random_bytes(std::size_t count);  // from OpenSSL's CSPRNG
std::string to_hex(std::string_view bytes);   // lower-case
double random_unit();                         // uniform in [0, 1)

}  // namespace apca
