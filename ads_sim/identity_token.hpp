#pragma once
// identity_token: ads-sim's stand-in for an app's identity provider (sharkiq signs in with Auth0 first and hands its
// id_token to Ayla's /api/v1/token_sign_in). The admin API mints a short-lived token naming one end user of one
// application, signed (HMAC-SHA256, a JWT as Auth0's id_token is) with a key only the service holds; token sign-in
// takes nothing else. Sans-I/O: time is an input.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ads_sim {

// Not Ayla's or Auth0's figure (theirs are hours): short, because a test mints one right before it signs in.
inline constexpr std::int64_t identity_token_secs = 600;

// Who a verified token names.
struct identity_claims {
  std::string user_uuid;
  std::string email;
  std::string app_id;
  std::int64_t expires_at = 0;
};

// The signing key, derived from the admin token (as image tokens are): only the service and its admin know it,
// and tokens minted before a restart still verify after it.
std::string identity_signing_key(std::string_view admin_token);

std::string mint_identity_token(std::string_view signing_key, const identity_claims& claims, std::int64_t now);

// The claims of a token this key signed that has not expired at `now`; nullopt for anything else.
std::optional<identity_claims> verify_identity_token(std::string_view signing_key, std::string_view token,
                                                     std::int64_t now);

}  // namespace ads_sim
