#include "ads_client/rsa_key.hpp"

#include <openssl/encoder.h>
#include <openssl/evp.h>

#include <catch2/catch.hpp>

#include "ads_client/base64.hpp"

using ads_client::base64_encode;
using ads_client::rsa_key;

namespace {

// One key pair per run: generating RSA keys is the slow part of these tests.
const rsa_key& test_key() {
  static const rsa_key key = rsa_key::generate(2048);
  return key;
}
const rsa_key& other_key() {
  static const rsa_key key = rsa_key::generate(1024);
  return key;
}

// The key in a given DER structure ("type-specific" is PKCS#1), as OpenSSL itself writes it.
std::string der_of(const rsa_key& key, int selection, const char* structure) {
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(key.native(), selection, "DER", structure, nullptr);
  REQUIRE(ctx != nullptr);
  unsigned char* data = nullptr;
  std::size_t length = 0;
  const int ok = OSSL_ENCODER_to_data(ctx, &data, &length);
  OSSL_ENCODER_CTX_free(ctx);
  REQUIRE(ok == 1);
  std::string der(reinterpret_cast<char*>(data), length);
  OPENSSL_free(data);
  return der;
}

std::string pem_wrap(const std::string& label, const std::string& der) {
  const std::string body = base64_encode(der);
  std::string pem = "-----BEGIN " + label + "-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END " + label + "-----\n";
}

// Splits a body into 64-column lines with CRLF, as a host MCU might paste it.
std::string with_line_breaks(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); i += 64) out += body.substr(i, 64) + "\r\n";
  return out;
}

bool same_public_key(const rsa_key& a, const rsa_key& b) { return a.public_base64_body() == b.public_base64_body(); }

}  // namespace

TEST_CASE("a generated key has both parts and the requested size", "[rsa]") {
  CHECK(test_key().has_private());
  CHECK(test_key().bits() == 2048);
  CHECK(test_key().public_pem().rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  CHECK(test_key().private_pem().rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
}

TEST_CASE("public keys load from both PKCS#1 and SPKI bodies", "[rsa]") {
  const std::string pkcs1 = base64_encode(der_of(test_key(), EVP_PKEY_PUBLIC_KEY, "type-specific"));
  const std::string spki = base64_encode(der_of(test_key(), EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo"));
  CHECK(spki == test_key().public_base64_body());
  REQUIRE(pkcs1 != spki);
  for (const auto& body : {pkcs1, spki, with_line_breaks(pkcs1), " " + with_line_breaks(spki)}) {
    const auto key = rsa_key::public_from_base64_body(body);
    REQUIRE(key.has_value());
    CHECK_FALSE(key->has_private());
    CHECK(key->bits() == 2048);
    CHECK(same_public_key(*key, test_key()));
  }
}

TEST_CASE("private keys load from both PKCS#1 and PKCS#8 bodies", "[rsa]") {
  const std::string pkcs1 = base64_encode(der_of(test_key(), EVP_PKEY_KEYPAIR, "type-specific"));
  const std::string pkcs8 = base64_encode(der_of(test_key(), EVP_PKEY_KEYPAIR, "PrivateKeyInfo"));
  REQUIRE(pkcs1 != pkcs8);
  for (const auto& body : {pkcs1, pkcs8, with_line_breaks(pkcs1), with_line_breaks(pkcs8)}) {
    const auto key = rsa_key::private_from_base64_body(body);
    REQUIRE(key.has_value());
    CHECK(key->has_private());
    CHECK(same_public_key(*key, test_key()));
    // It really is the same private key: it decrypts what the original encrypted.
    CHECK(key->decrypt_pkcs1(*test_key().encrypt_pkcs1("hello")) == std::string("hello"));
  }
}

TEST_CASE("a public body is not accepted as a private key", "[rsa]") {
  CHECK_FALSE(rsa_key::private_from_base64_body(test_key().public_base64_body()).has_value());
}

TEST_CASE("a private body given as a public key yields only the public part", "[rsa]") {
  const std::string pkcs8 = base64_encode(der_of(test_key(), EVP_PKEY_KEYPAIR, "PrivateKeyInfo"));
  const auto key = rsa_key::public_from_base64_body(pkcs8);
  if (key) {
    CHECK_FALSE(key->has_private());
    CHECK(same_public_key(*key, test_key()));
  }
}

TEST_CASE("whole PEM texts of all four kinds load", "[rsa]") {
  const auto spki = rsa_key::from_pem(test_key().public_pem());
  const auto pkcs8 = rsa_key::from_pem(test_key().private_pem());
  const auto rsa_public = rsa_key::from_pem(
      pem_wrap("RSA PUBLIC KEY", der_of(test_key(), EVP_PKEY_PUBLIC_KEY, "type-specific")));
  const auto rsa_private = rsa_key::from_pem(
      pem_wrap("RSA PRIVATE KEY", der_of(test_key(), EVP_PKEY_KEYPAIR, "type-specific")));
  REQUIRE(spki.has_value());
  REQUIRE(pkcs8.has_value());
  REQUIRE(rsa_public.has_value());
  REQUIRE(rsa_private.has_value());
  CHECK_FALSE(spki->has_private());
  CHECK_FALSE(rsa_public->has_private());
  CHECK(pkcs8->has_private());
  CHECK(rsa_private->has_private());
  for (const auto* key : {&*spki, &*pkcs8, &*rsa_public, &*rsa_private}) CHECK(same_public_key(*key, test_key()));
}

TEST_CASE("garbage never becomes a key", "[rsa]") {
  for (const std::string bad : {"", "   ", "not base64!", "AAAA", "TUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFN"}) {
    CHECK_FALSE(rsa_key::public_from_base64_body(bad).has_value());
    CHECK_FALSE(rsa_key::private_from_base64_body(bad).has_value());
    CHECK_FALSE(rsa_key::from_pem(bad).has_value());
  }
  // A real body cut short.
  const std::string body = test_key().public_base64_body();
  CHECK_FALSE(rsa_key::public_from_base64_body(body.substr(0, body.size() / 2 / 4 * 4)).has_value());
  CHECK_FALSE(rsa_key::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").has_value());
}

TEST_CASE("encrypt with the public part, decrypt with the private part", "[rsa]") {
  const auto public_only = rsa_key::public_from_base64_body(test_key().public_base64_body());
  REQUIRE(public_only.has_value());
  const std::string plain = "1700000000 GET /devices/42/commands.json";
  const auto cipher = public_only->encrypt_pkcs1(plain);
  REQUIRE(cipher.has_value());
  CHECK(cipher->size() == 256);
  CHECK(test_key().decrypt_pkcs1(*cipher) == plain);
  // Randomised padding: the same plain text encrypts differently each time.
  CHECK(public_only->encrypt_pkcs1(plain) != cipher);
  // Without the private part there is nothing to decrypt with.
  CHECK_FALSE(public_only->decrypt_pkcs1(*cipher).has_value());
}

TEST_CASE("decrypting with the wrong key or a damaged cipher fails", "[rsa]") {
  const auto cipher = test_key().encrypt_pkcs1("secret");
  REQUIRE(cipher.has_value());
  CHECK_FALSE(other_key().decrypt_pkcs1(*cipher).has_value());
  std::string damaged = *cipher;
  damaged[10] = static_cast<char>(damaged[10] ^ 0x5a);
  CHECK_FALSE(test_key().decrypt_pkcs1(damaged).has_value());
  CHECK_FALSE(test_key().decrypt_pkcs1("short").has_value());
}

TEST_CASE("a plain text too long for the key is refused", "[rsa]") {
  CHECK(test_key().encrypt_pkcs1(std::string(245, 'x')).has_value());
  CHECK_FALSE(test_key().encrypt_pkcs1(std::string(246, 'x')).has_value());
}

TEST_CASE("sign with the private part, verify with the public part", "[rsa]") {
  const std::string message = "71866f33 hw-0001 1 rand123";
  const auto signature = test_key().sign_sha256(message);
  REQUIRE(signature.has_value());
  const auto public_only = rsa_key::public_from_base64_body(test_key().public_base64_body());
  REQUIRE(public_only.has_value());
  CHECK(public_only->verify_sha256(message, *signature));
  CHECK_FALSE(public_only->verify_sha256(message + "x", *signature));
  CHECK_FALSE(other_key().verify_sha256(message, *signature));
  CHECK_FALSE(public_only->sign_sha256(message).has_value());
  std::string damaged = *signature;
  damaged[0] = static_cast<char>(damaged[0] ^ 1);
  CHECK_FALSE(public_only->verify_sha256(message, damaged));
}

TEST_CASE("sha256_hex matches the FIPS 180-2 vector", "[rsa]") {
  CHECK(ads_client::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
