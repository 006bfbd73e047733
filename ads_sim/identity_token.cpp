#include "ads_sim/identity_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/json_fields.hpp"

namespace ads_sim {
namespace {

// base64url without padding (RFC 7515 §2), as JWTs are written.
std::string base64url(std::string_view bytes) {
  std::string text = ads_client::base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '+' || c == '/' || c == '=') return std::nullopt;  // not base64url
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  while (standard.size() % 4 != 0) standard += '=';
  return ads_client::base64_decode(standard);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

const std::string& token_header() {
  static const std::string header = base64url(R"({"alg":"HS256","typ":"JWT"})");
  return header;
}

}  // namespace

std::string identity_signing_key(std::string_view admin_token) {
  return ads_client::sha256_hex("ads-sim identity provider " + std::string(admin_token));
}

std::string mint_identity_token(std::string_view signing_key, const identity_claims& claims, std::int64_t now) {
  const nlohmann::json payload{{"iss", "ads-sim"},       {"sub", claims.user_uuid}, {"email", claims.email},
                               {"aud", claims.app_id},   {"iat", now},             {"exp", now + identity_token_secs}};
  const std::string signed_part = token_header() + "." + base64url(payload.dump());
  return signed_part + "." + base64url(hmac_sha256(signing_key, signed_part));
}

std::optional<identity_claims> verify_identity_token(std::string_view signing_key, std::string_view token,
                                                     std::int64_t now) {
  const auto last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos) return std::nullopt;
  const std::string_view signed_part = token.substr(0, last_dot);
  const auto signature = from_base64url(token.substr(last_dot + 1));
  const std::string expected = hmac_sha256(signing_key, signed_part);
  if (!signature || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
    return std::nullopt;
  // Signed by us, so the header is ours; only the payload is read.
  const auto dot = signed_part.find('.');
  if (dot == std::string_view::npos || signed_part.substr(0, dot) != token_header()) return std::nullopt;
  const auto payload_text = from_base64url(signed_part.substr(dot + 1));
  if (!payload_text) return std::nullopt;
  const auto payload = parse_json_object(*payload_text);
  if (!payload) return std::nullopt;
  const auto* sub = string_field(*payload, "sub");
  const auto* email = string_field(*payload, "email");
  const auto* aud = string_field(*payload, "aud");
  const auto exp = integer_field(*payload, "exp");
  if (!sub || !email || !aud || !exp || *exp <= now) return std::nullopt;
  return identity_claims{*sub, *email, *aud, *exp};
}

}  // namespace ads_sim
