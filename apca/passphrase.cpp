#include "apca/passphrase.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <vector>

#include "common/hex.hpp"
#include "common/random_bytes.hpp"

namespace apca {
namespace {

constexpr std::string_view scheme = "pbkdf2-sha256";
constexpr int iterations = 10000;
constexpr std::size_t salt_size = 16;
constexpr std::size_t hash_size = 32;

std::string derive(std::string_view passphrase, std::string_view salt, int rounds) {
  std::string out(hash_size, '\0');
  PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), rounds,
                    EVP_sha256(), static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace

std::string hash_passphrase(std::string_view passphrase) {
  auto salt = common::random_bytes(salt_size);
  return std::string(scheme) + "$" + std::to_string(iterations) + "$" + common::to_hex(salt) + "$" +
         common::to_hex(derive(passphrase, salt, iterations));
}

bool passphrase_matches(std::string_view stored, std::string_view passphrase) {
  // scheme $ iterations $ salt $ hash
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= stored.size(); ++i) {
    if (i == stored.size() || stored[i] == '$') {
      fields.push_back(stored.substr(start, i - start));
      start = i + 1;
    }
  }
  if (fields.size() != 4 || fields[0] != scheme) return false;
  int rounds = 0;
  for (char c : fields[1]) {
    if (c < '0' || c > '9' || rounds > 10'000'000) return false;
    rounds = rounds * 10 + (c - '0');
  }
  auto salt = common::from_hex(fields[2]);
  auto expected = common::from_hex(fields[3]);
  if (rounds <= 0 || !salt || !expected || expected->size() != hash_size) return false;
  auto actual = derive(passphrase, *salt, rounds);
  return CRYPTO_memcmp(actual.data(), expected->data(), hash_size) == 0;
}

}  // namespace apca
