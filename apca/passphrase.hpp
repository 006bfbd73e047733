#pragma once
// The setup-mode passphrase as NV keeps it: a salted PBKDF2-HMAC-SHA256 hash, never the passphrase itself.
#include <string>
#include <string_view>

namespace apca {

// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>", with a fresh random salt.
std::string hash_passphrase(std::string_view passphrase);
// Constant-time comparison against a value made by hash_passphrase; false for anything malformed.
bool passphrase_matches(std::string_view stored, std::string_view passphrase);

}  // namespace apca
