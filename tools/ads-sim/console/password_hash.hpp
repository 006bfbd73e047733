#pragma once
// password_hash: console passwords stored as PBKDF2-HMAC-SHA256 ("pbkdf2-sha256$<iterations>$<salt>$<hash>",
// base64), the iteration count kept with each hash so it can be raised without breaking stored accounts.
// Deliberately slow: callers run it off the I/O thread.
#include <string>
#include <string_view>

namespace ads_sim::console {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
inline constexpr int default_kdf_iterations = 600'000;

std::string hash_password(std::string_view password, int iterations);
// False for a wrong password and for a stored value that is not one of ours.
bool verify_password(std::string_view password, std::string_view stored);

}  // namespace ads_sim::console
