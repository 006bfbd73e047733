#pragma once
// Hex text of bytes (lower case), and back. The one encoder: tokens, digests, DSN suffixes, packet dumps.
#include <optional>
#include <string>
#include <string_view>

namespace common {

std::string to_hex(std::string_view bytes);
std::string to_hex(const unsigned char* bytes, std::size_t size);
// Upper case, as the AT port prints bytes (SMS PDUs, +CIPRXGET's hex mode).
std::string to_upper_hex(std::string_view bytes);

// The bytes of an even-length hex text (either case); nullopt for anything else.
std::optional<std::string> from_hex(std::string_view text);

}  // namespace common
