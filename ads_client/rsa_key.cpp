#include "ads_client/rsa_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <vector>

#include "ads_client/base64.hpp"
#include "common/hex.hpp"

namespace ads_client {
namespace {

template <typename T, void (*Free)(T*)>
struct openssl_deleter {
  void operator()(T* p) const { Free(p); }
};
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, openssl_deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using decoder_ctx_ptr = std::unique_ptr<OSSL_DECODER_CTX, openssl_deleter<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BIGNUM, BN_free>>;

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Decodes DER or PEM `input` into an RSA key; the structure (PKCS#1, SPKI, PKCS#8) is detected by OpenSSL.
EVP_PKEY* decode_rsa(std::string_view input, const char* input_type, int selection) {
  EVP_PKEY* key = nullptr;
  decoder_ctx_ptr ctx(OSSL_DECODER_CTX_new_for_pkey(&key, input_type, nullptr, "RSA", selection, nullptr, nullptr));
  if (!ctx) return nullptr;
  // An encrypted PEM must fail here rather than make OpenSSL prompt on the terminal.
  OSSL_DECODER_CTX_set_passphrase(ctx.get(), reinterpret_cast<const unsigned char*>(""), 0);
  const unsigned char* data = bytes_of(input);
  std::size_t length = input.size();
  if (OSSL_DECODER_from_data(ctx.get(), &data, &length) != 1 || key == nullptr) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  if (EVP_PKEY_is_a(key, "RSA") != 1) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  return key;
}

bool key_has_private(const EVP_PKEY* key) {
  BIGNUM* d = nullptr;
  const bool found = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d) == 1 && d != nullptr;
  bignum_ptr owned(d);
  return found;
}

std::string spki_der(EVP_PKEY* key) {
  const int length = i2d_PUBKEY(key, nullptr);
  if (length <= 0) return {};
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_PUBKEY(key, &out);
  return der;
}

// Drops the private part so a "public" key never carries one by accident.
EVP_PKEY* public_only(EVP_PKEY* key) {
  if (!key_has_private(key)) return key;
  const std::string der = spki_der(key);
  EVP_PKEY_free(key);
  const unsigned char* in = bytes_of(der);
  return d2i_PUBKEY(nullptr, &in, static_cast<long>(der.size()));
}

template <typename Write>
std::string pem_via_bio(Write write) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) return {};
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string{};
}

pkey_ctx_ptr rsa_pkcs1_ctx(EVP_PKEY* key, int (*init)(EVP_PKEY_CTX*)) {
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) return nullptr;
  return ctx;
}

// OpenSSL's two-call convention: ask for the size with no buffer, then fill a buffer of that size.
template <typename Call>
std::optional<std::string> sized_output(Call call) {
  std::size_t length = 0;
  if (call(nullptr, &length) != 1) return std::nullopt;
  std::string out(length, '\0');
  if (call(reinterpret_cast<unsigned char*>(out.data()), &length) != 1) return std::nullopt;
  out.resize(length);
  return out;
}

}  // namespace

void rsa_key::free_key::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

std::optional<rsa_key> rsa_key::public_from_base64_body(std::string_view body) {
  const auto der = base64_decode(body);
  if (!der || der->empty()) return std::nullopt;
  EVP_PKEY* key = decode_rsa(*der, "DER", EVP_PKEY_PUBLIC_KEY);
  if (key == nullptr) return std::nullopt;
  key = public_only(key);
  if (key == nullptr) return std::nullopt;
  return rsa_key(key);
}

std::optional<rsa_key> rsa_key::private_from_base64_body(std::string_view body) {
  const auto der = base64_decode(body);
  if (!der || der->empty()) return std::nullopt;
  EVP_PKEY* key = decode_rsa(*der, "DER", EVP_PKEY_KEYPAIR);
  if (key == nullptr) return std::nullopt;
  if (!key_has_private(key)) {
    EVP_PKEY_free(key);
    return std::nullopt;
  }
  return rsa_key(key);
}

std::optional<rsa_key> rsa_key::from_pem(std::string_view pem) {
  if (pem.empty()) return std::nullopt;
  EVP_PKEY* key = decode_rsa(pem, "PEM", 0);
  if (key == nullptr) return std::nullopt;
  return rsa_key(key);
}

rsa_key rsa_key::generate(int bits) {
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 || EVP_PKEY_generate(ctx.get(), &key) != 1) {
    // Only an exhausted or broken crypto library gets here; there is no key to return.
    std::fputs("rsa_key::generate: OpenSSL key generation failed\n", stderr);
    std::abort();
  }
  return rsa_key(key);
}

bool rsa_key::has_private() const { return key_has_private(key_.get()); }

int rsa_key::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::string rsa_key::public_pem() const {
  return pem_via_bio([this](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key_.get()); });
}

std::string rsa_key::public_base64_body() const { return base64_encode(spki_der(key_.get())); }

std::string rsa_key::private_pem() const {
  if (!has_private()) return {};
  return pem_via_bio([this](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
}

std::optional<std::string> rsa_key::encrypt_pkcs1(std::string_view plain) const {
  // PKCS#1 v1.5 padding needs 11 bytes of the modulus.
  if (plain.size() + 11 > static_cast<std::size_t>(EVP_PKEY_get_size(key_.get()))) return std::nullopt;
  auto ctx = rsa_pkcs1_ctx(key_.get(), EVP_PKEY_encrypt_init);
  if (!ctx) return std::nullopt;
  return sized_output([&](unsigned char* out, std::size_t* length) {
    return EVP_PKEY_encrypt(ctx.get(), out, length, bytes_of(plain), plain.size());
  });
}

std::optional<std::string> rsa_key::decrypt_pkcs1(std::string_view cipher) const {
  if (!has_private() || cipher.empty()) return std::nullopt;
  auto ctx = rsa_pkcs1_ctx(key_.get(), EVP_PKEY_decrypt_init);
  if (!ctx) return std::nullopt;
  // OpenSSL >= 3.2 otherwise answers a bad padding with random bytes; we need the failure. Older versions
  // don't know the option, which is fine: they fail on bad padding anyway.
  EVP_PKEY_CTX_ctrl_str(ctx.get(), "rsa_pkcs1_implicit_rejection", "0");
  return sized_output([&](unsigned char* out, std::size_t* length) {
    return EVP_PKEY_decrypt(ctx.get(), out, length, bytes_of(cipher), cipher.size());
  });
}

std::optional<std::string> rsa_key::sign_sha256(std::string_view message) const {
  if (!has_private()) return std::nullopt;
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) return std::nullopt;
  return sized_output([&](unsigned char* out, std::size_t* length) {
    return EVP_DigestSign(ctx.get(), out, length, bytes_of(message), message.size());
  });
}

std::optional<std::string> rsa_key::sign_recoverable(std::string_view message) const {
  if (!has_private() || message.size() + 11 > static_cast<std::size_t>(EVP_PKEY_get_size(key_.get())))
    return std::nullopt;
  auto ctx = rsa_pkcs1_ctx(key_.get(), EVP_PKEY_sign_init);
  if (!ctx) return std::nullopt;
  return sized_output([&](unsigned char* out, std::size_t* length) {
    return EVP_PKEY_sign(ctx.get(), out, length, bytes_of(message), message.size());
  });
}

std::optional<std::string> rsa_key::recover(std::string_view signature) const {
  if (signature.empty()) return std::nullopt;
  auto ctx = rsa_pkcs1_ctx(key_.get(), EVP_PKEY_verify_recover_init);
  if (!ctx) return std::nullopt;
  return sized_output([&](unsigned char* out, std::size_t* length) {
    return EVP_PKEY_verify_recover(ctx.get(), out, length, bytes_of(signature), signature.size());
  });
}

bool rsa_key::verify_sha256(std::string_view message, std::string_view signature) const {
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(message), message.size()) == 1;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) return {};
  return common::to_hex(digest, length);
}

}  // namespace ads_client
