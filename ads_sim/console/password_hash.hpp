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

// Password work the console asks the I/O layer for, so PBKDF2 never runs under the service core's lock (every
// device request would wait for it): check `password` against `stored_hash`, or, when that is empty, make a
// new hash of it with `iterations`.
struct password_work {
  std::string password;
  std::string stored_hash;
  int iterations = 0;
};
struct password_result {
  std::string checked_against;  // the stored hash that was checked: a login fails if it changed meanwhile
  bool matches = false;
  std::string made_hash;  // when asked to make one
};
password_result do_password_work(const password_work& work);

}  // namespace ads_sim::console
