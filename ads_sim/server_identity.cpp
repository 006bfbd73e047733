#include "ads_sim/server_identity.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>
#include <vector>

namespace ads_sim {
namespace {

struct openssl_free {
  void operator()(BIO* bio) const { BIO_free(bio); }
  void operator()(X509* cert) const { X509_free(cert); }
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
  void operator()(X509_STORE_CTX* ctx) const { X509_STORE_CTX_free(ctx); }
  void operator()(STACK_OF(X509) * certs) const { sk_X509_pop_free(certs, X509_free); }
};
template <class T>
using openssl_ptr = std::unique_ptr<T, openssl_free>;

openssl_ptr<BIO> memory_bio(std::string_view text) {
  return openssl_ptr<BIO>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every certificate in the text, in order.
std::vector<openssl_ptr<X509>> certificates(std::string_view pem) {
  std::vector<openssl_ptr<X509>> all;
  const auto bio = memory_bio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) all.emplace_back(cert);
  ERR_clear_error();  // the end of the text reads as an error
  return all;
}

// Refuses every passphrase request instead of asking on the terminal, as OpenSSL's default callback would.
int no_passphrase(char*, int, int, void*) { return -1; }

bool is_encrypted(std::string_view pem) {
  return pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
         pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
}

// The chain's verification against `ca` at `now`; OpenSSL's reason when it fails.
std::optional<std::string> verify_chain(const std::vector<openssl_ptr<X509>>& chain,
                                        const std::vector<openssl_ptr<X509>>& ca,
                                        std::chrono::system_clock::time_point now) {
  const openssl_ptr<X509_STORE> store(X509_STORE_new());
  for (const auto& cert : ca) X509_STORE_add_cert(store.get(), cert.get());
  const openssl_ptr<STACK_OF(X509)> intermediates(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) {
    X509_up_ref(chain[i].get());
    sk_X509_push(intermediates.get(), chain[i].get());
  }
  const openssl_ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!store || !intermediates || !ctx ||
      X509_STORE_CTX_init(ctx.get(), store.get(), chain.front().get(), intermediates.get()) != 1)
    return "cannot set up the verification";
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  // The CA file may hold an intermediate CA: clients that trust it trust what it signs.
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_PARTIAL_CHAIN);
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(now));
  if (X509_verify_cert(ctx.get()) == 1) return std::nullopt;
  ERR_clear_error();
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace

std::optional<identity_problem> check_server_identity(std::string_view chain_pem, std::string_view key_pem,
                                                      std::optional<std::string_view> ca_pem,
                                                      std::chrono::system_clock::time_point now) {
  using kind = identity_problem::kind;
  const auto chain = certificates(chain_pem);
  if (chain.empty()) return identity_problem{kind::no_certificate, {}};
  if (is_encrypted(key_pem)) return identity_problem{kind::encrypted_key, {}};
  const auto key_bio = memory_bio(key_pem);
  const openssl_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();
  if (!key) return identity_problem{kind::no_key, {}};
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return identity_problem{kind::key_mismatch, {}};
  }
  if (!ca_pem) return std::nullopt;
  const auto ca = certificates(*ca_pem);
  if (ca.empty()) return identity_problem{kind::no_ca, {}};
  if (auto failed = verify_chain(chain, ca, now)) return identity_problem{kind::not_signed_by_ca, std::move(*failed)};
  return std::nullopt;
}

}  // namespace ads_sim
