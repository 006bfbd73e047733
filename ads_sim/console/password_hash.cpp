#include "ads_sim/console/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <cstdlib>
#include <optional>

#include "ads_client/base64.hpp"
#include "common/random_bytes.hpp"

namespace ads_sim::console {
namespace {

constexpr std::string_view scheme = "pbkdf2-sha256";
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;
constexpr int max_iterations = 10'000'000;  // a stored value can't make a login run for minutes

std::string derive(std::string_view password, std::string_view salt, int iterations) {
  std::string out(hash_bytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1)
    std::abort();
  return out;
}

struct parsed_hash {
  int iterations = 0;
  std::string salt;
  std::string hash;
};

std::optional<parsed_hash> parse(std::string_view stored) {
  std::string_view fields[4];
  for (auto& field : fields) {
    const auto dollar = stored.find('$');
    field = stored.substr(0, dollar);
    stored = dollar == std::string_view::npos ? std::string_view{} : stored.substr(dollar + 1);
  }
  if (fields[0] != scheme || fields[3].empty()) return std::nullopt;
  parsed_hash out;
  const auto [end, ec] = std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), out.iterations);
  if (ec != std::errc() || end != fields[1].data() + fields[1].size()) return std::nullopt;
  if (out.iterations < 1 || out.iterations > max_iterations) return std::nullopt;
  auto salt = ads_client::base64_decode(fields[2]);
  auto hash = ads_client::base64_decode(fields[3]);
  if (!salt || !hash || hash->size() != hash_bytes) return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

}  // namespace

std::string hash_password(std::string_view password, int iterations) {
  const std::string salt = common::random_bytes(salt_bytes);
  return std::string(scheme) + "$" + std::to_string(iterations) + "$" + ads_client::base64_encode(salt) + "$" +
         ads_client::base64_encode(derive(password, salt, iterations));
}

bool verify_password(std::string_view password, std::string_view stored) {
  const auto parsed = parse(stored);
  if (!parsed) return false;
  const std::string derived = derive(password, parsed->salt, parsed->iterations);
  return CRYPTO_memcmp(derived.data(), parsed->hash.data(), hash_bytes) == 0;
}

password_result do_password_work(const password_work& work) {
  if (work.stored_hash.empty()) return {"", false, hash_password(work.password, work.iterations)};
  return {work.stored_hash, verify_password(work.password, work.stored_hash), ""};
}

}  // namespace ads_sim::console
