#pragma once
// Standard base64 (RFC 4648, with padding), as the Ayla agent uses it for keys and OTA image parts.
#include <optional>
#include <string>
#include <string_view>

namespace ads_client {

std::string base64_encode(std::string_view bytes);

// Whitespace (spaces, CR, LF, tabs) is skipped, as in PEM bodies split over lines; any other character outside
// the alphabet, or a wrong padding, gives nullopt.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace ads_client
