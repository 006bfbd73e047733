#pragma once
// RSA keys for tests, made once per run, as the base64 PEM bodies AT+ADA carries.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "config_store/nv_image.hpp"

namespace apca_test {

// The base64 body of a PEM text (the lines between BEGIN and END, joined).
inline std::string pem_body(const std::string& pem) {
  std::string body;
  std::size_t pos = 0;
  while (pos < pem.size()) {
    auto end = pem.find('\n', pos);
    if (end == std::string::npos) end = pem.size();
    auto line = pem.substr(pos, end - pos);
    if (line.rfind("-----", 0) != 0) body += line;
    pos = end + 1;
  }
  return body;
}

struct test_keys {
  ads_client::rsa_key device = ads_client::rsa_key::generate(2048);
  ads_client::rsa_key oem = ads_client::rsa_key::generate(2048);

  std::string device_public_body() const { return device.public_base64_body(); }
  // The device public key as a PKCS#1 "RSA PUBLIC KEY" body.
  std::string device_public_pkcs1_body() const { return der_body(i2d_PublicKey, device); }
  std::string oem_private_pkcs8_body() const { return pem_body(oem.private_pem()); }
  // The OEM key as a PKCS#1 "RSA PRIVATE KEY" body (what the note's sample carries: MIIEpQIBAAK...).
  std::string oem_private_pkcs1_body() const { return der_body(i2d_PrivateKey, oem); }

 private:
  // For RSA keys, i2d_PublicKey / i2d_PrivateKey write the PKCS#1 structures.
  static std::string der_body(int (*encode)(const EVP_PKEY*, unsigned char**), const ads_client::rsa_key& key) {
    unsigned char* der = nullptr;
    int length = encode(key.native(), &der);
    std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return ads_client::base64_encode(bytes);
  }
};

// Keys are slow to make: one set for the whole run.
inline const test_keys& keys() {
  static const test_keys made;
  return made;
}

// The NV of a module provisioned at the factory with keys().device: it connects once enabled.
inline config_store::nv_image factory_image() {
  config_store::nv_image image;
  image.values = {{"oem/id", "0dfc7900"},         {"oem/model", "sim7600-demo"},
                  {"server/region", "US"},        {"id/dev_id", "AC000W000000001"},
                  {"id/key", keys().device_public_body()}, {"oem/secret", "s3cret"}};
  return image;
}

}  // namespace apca_test
