#pragma once
// Random bytes and hex text, for salts and the in-field provisioning nonce.
#include <cstddef>
#include <string>
#include <string_view>

namespace apca {

std::string random_bytes(std::size_t count);  // from OpenSSL's CSPRNG
std::string to_hex(std::string_view bytes);   // lower-case

}  // namespace apca
