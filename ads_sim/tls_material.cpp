#include "ads_sim/tls_material.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/server_identity.hpp"
#include "common/random_bytes.hpp"
#include "common/read_file.hpp"
#include "config_store/atomic_file.hpp"

namespace ads_sim {
namespace {

struct x509_free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using x509_ptr = std::unique_ptr<X509, x509_free>;

x509_ptr load_cert(const std::filesystem::path& file) {
  const auto pem = common::read_file(file);
  if (!pem) return nullptr;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), BIO_free);
  return x509_ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string cert_pem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!extension) return false;
  const bool ok = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return ok;
}

// "DNS:localhost,...,DNS:user-field.aylanetworks.com,...": every name the server certificate carries.
std::string server_names_extension() {
  std::string names = server_alt_names;
  for (const auto name : ayla_app_host_names) names += ",DNS:" + std::string(name);
  return names;
}

// Whether the certificate names each app host itself (a wildcard alone does not count: it was there before).
bool names_every_app_host(X509* cert) {
  for (const auto name : ayla_app_host_names)
    if (X509_check_host(cert, name.data(), name.size(), X509_CHECK_FLAG_NO_WILDCARDS, nullptr) != 1) return false;
  return true;
}

// A certificate for `subject_key` named `common_name`, signed by `issuer_key` (self-signed when issuer is null).
x509_ptr make_cert(const ads_client::rsa_key& subject_key, const char* common_name, X509* issuer,
                   const ads_client::rsa_key& issuer_key, bool is_ca) {
  x509_ptr cert(X509_new());
  if (!cert) return nullptr;
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  common::random_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;  // a positive serial
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), subject_key.native());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("ads-sim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                             0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  const bool ok =
      is_ca ? add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE") &&
                  add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign") &&
                  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash")
            : add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE") &&
                  add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
                  add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth") &&
                  add_extension(cert.get(), signer, NID_subject_alt_name, server_names_extension().c_str()) &&
                  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash") &&
                  add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid");
  if (!ok || X509_sign(cert.get(), issuer_key.native(), EVP_sha256()) <= 0) return nullptr;
  return cert;
}

// A file that is there but holds no usable PEM was not written by us (writes are atomic): replacing it would
// silently change what devices trust, so it is refused with the way out.
std::optional<std::string> refuse_unparsed(const std::filesystem::path& file, bool parsed) {
  std::error_code ec;
  if (parsed || !std::filesystem::exists(file, ec)) return std::nullopt;
  if (::access(file.c_str(), R_OK) != 0) return "cannot read " + file.string() + ": " + std::strerror(errno);
  return file.string() + " is not a usable PEM file (move it away to make a new one)";
}

// What is wrong with the server certificate and key in the data dir, as a sentence; nullopt when they can serve.
std::optional<std::string> server_problem(const tls_files& files, const std::optional<std::string>& ca_pem,
                                          const std::optional<std::string>& cert_pem,
                                          const std::optional<std::string>& key_pem) {
  if (!cert_pem) return files.server_cert.string() + " is missing";
  if (!key_pem) return files.server_key.string() + " is missing";
  using kind = identity_problem::kind;
  if (const auto problem = check_server_identity(*cert_pem, *key_pem, ca_pem, std::chrono::system_clock::now())) {
    switch (problem->what) {
      case kind::key_mismatch:
        return files.server_key.string() + " is not the key of " + files.server_cert.string();
      case kind::not_signed_by_ca:
        return files.server_cert.string() + " does not verify against " + files.ca_cert.string() + " (" +
               problem->detail + ")";
      case kind::encrypted_key: return files.server_key.string() + " is encrypted";
      case kind::no_certificate:
      case kind::no_key:
      case kind::no_ca: return files.server_cert.string() + " is not usable";  // refused as not PEM before this
    }
  }
  const x509_ptr server = load_cert(files.server_cert);
  if (!server || !names_every_app_host(server.get()))
    return files.server_cert.string() + " does not name each of Ayla's app hosts (an older ads-sim made it)";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ensure_tls_material(const std::filesystem::path& dir, tls_files& files,
                                               const std::optional<std::string>& read_only) {
  files = {dir / "ca.pem", dir / "ca-key.pem", dir / "server.pem", dir / "server-key.pem"};
  const auto ca_pem = common::read_file(files.ca_cert);
  x509_ptr ca = load_cert(files.ca_cert);
  // The CA key only signs, which a read-only data dir never does: there it is not read (it may be unreadable).
  const auto ca_key_pem = read_only ? std::nullopt : common::read_file(files.ca_key);
  std::optional<ads_client::rsa_key> ca_key = ca_key_pem ? ads_client::rsa_key::from_pem(*ca_key_pem) : std::nullopt;
  if (auto refused = refuse_unparsed(files.ca_cert, ca != nullptr)) return refused;
  if (!read_only)
    if (auto refused = refuse_unparsed(files.ca_key, ca_key && ca_key->has_private())) return refused;
  if (auto refused = refuse_unparsed(files.server_cert, load_cert(files.server_cert) != nullptr)) return refused;
  const auto server_key_text = common::read_file(files.server_key);
  if (auto refused = refuse_unparsed(
          files.server_key, server_key_text && ads_client::rsa_key::from_pem(*server_key_text).has_value()))
    return refused;
  // What clients trust and what the server presents are all that serving needs.
  const auto problem = ca ? server_problem(files, ca_pem, common::read_file(files.server_cert), server_key_text)
                          : std::optional<std::string>(files.ca_cert.string() + " is missing");
  if (!problem) return std::nullopt;
  if (read_only)
    return *problem + " and " + dir.string() + " is read-only (" + *read_only +
           "): copy ca.pem, server.pem and server-key.pem there from a data dir ads-sim made (it makes them anew in "
           "a writable one), or give --tls-cert, --tls-key and --tls-ca";
  if (!ca || !ca_key || !ca_key->has_private()) {  // a new CA: what devices trust changes, as on first start
    ca_key = ads_client::rsa_key::generate(2048);
    ca = make_cert(*ca_key, "ads-sim local CA", nullptr, *ca_key, true);
    if (!ca) return "cannot create the CA certificate";
    if (config_store::write_file_atomically(files.ca_key, ca_key->private_pem(), 0600) ||
        config_store::write_file_atomically(files.ca_cert, cert_pem(ca.get()), 0644))
      return "cannot write " + files.ca_cert.string();
  }
  const auto server_key = ads_client::rsa_key::generate(2048);
  const x509_ptr server = make_cert(server_key, "localhost", ca.get(), *ca_key, false);
  if (!server) return "cannot create the server certificate";
  if (config_store::write_file_atomically(files.server_key, server_key.private_pem(), 0600) ||
      config_store::write_file_atomically(files.server_cert, cert_pem(server.get()), 0644))
    return "cannot write " + files.server_cert.string();
  return std::nullopt;
}

}  // namespace ads_sim
