#pragma once
// rsa_key: an RSA key pair or public key (OpenSSL 3 EVP) in the forms the Ayla agent exchanges them:
// PEM, or just the base64 body of a PEM (what AT+ADA="cs","id/key" and AT+ADA="sign" carry).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace ads_client {

class rsa_key {
 public:
  // Base64 body of a PKCS#1 "RSA PUBLIC KEY" or an SPKI "PUBLIC KEY"; whitespace ignored.
  static std::optional<rsa_key> public_from_base64_body(std::string_view body);
  // Base64 body of a PKCS#1 "RSA PRIVATE KEY" or a PKCS#8 "PRIVATE KEY"; whitespace ignored.
  static std::optional<rsa_key> private_from_base64_body(std::string_view body);
  // A whole PEM text of any of the four kinds above.
  static std::optional<rsa_key> from_pem(std::string_view pem);
  static rsa_key generate(int bits = 2048);

  bool has_private() const;
  int bits() const;
  std::string public_pem() const;          // "-----BEGIN PUBLIC KEY-----" (SPKI)
  std::string public_base64_body() const;  // the SPKI body, one line
  std::string private_pem() const;         // PKCS#8 "-----BEGIN PRIVATE KEY-----"

  // RSAES-PKCS1-v1_5 with the public part; nullopt if the plain text is too long for the key.
  std::optional<std::string> encrypt_pkcs1(std::string_view plain) const;
  // Needs the private part; nullopt on a wrong key or bad padding.
  std::optional<std::string> decrypt_pkcs1(std::string_view cipher) const;
  // RSASSA-PKCS1-v1_5 over SHA-256; needs the private part.
  std::optional<std::string> sign_sha256(std::string_view message) const;
  bool verify_sha256(std::string_view message, std::string_view signature) const;
  // PKCS#1 v1.5 signature over the message itself (no digest), so the holder of the public key can read the
  // message back from it: how in-field provisioning carries hwid and rand inside its signature.
  std::optional<std::string> sign_recoverable(std::string_view message) const;
  std::optional<std::string> recover(std::string_view signature) const;

  EVP_PKEY* native() const { return key_.get(); }

 private:
  struct free_key {
    void operator()(EVP_PKEY* key) const;
  };
  // EVP_PKEY is opaque, so the shared_ptr needs the OpenSSL deleter (a plain delete would not compile).
  explicit rsa_key(EVP_PKEY* key) : key_(key, free_key{}) {}
  std::shared_ptr<EVP_PKEY> key_;
};

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace ads_client
