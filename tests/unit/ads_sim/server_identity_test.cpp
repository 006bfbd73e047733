// The check that a certificate chain, its key and the CA serve together, on PEM texts ads-sim's own CA code made.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/server_identity.hpp"
#include "ads_sim/tls_material.hpp"
#include "common/read_file.hpp"
#include "support.hpp"

using ads_sim::check_server_identity;
using kind = ads_sim::identity_problem::kind;
using namespace std::chrono_literals;

namespace {

// A CA, a server certificate it signs and the certificate's key, as PEM texts.
struct pem_set {
  std::string ca, cert, key;
};

pem_set made_set() {
  ads_sim_test::temp_dir dir;
  ads_sim::tls_files files;
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  return {*common::read_file(files.ca_cert), *common::read_file(files.server_cert),
          *common::read_file(files.server_key)};
}

std::string encrypted(const std::string& key_pem) {
  const auto key = ads_client::rsa_key::from_pem(key_pem);
  REQUIRE(key);
  BIO* bio = BIO_new(BIO_s_mem());
  char passphrase[] = "secret";
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio, key->native(), EVP_aes_256_cbc(), nullptr, 0, nullptr, passphrase) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return text;
}

const auto now = std::chrono::system_clock::now();

}  // namespace

TEST_CASE("a certificate, its own key and the CA that signed it serve together", "[ads_sim][tls]") {
  const auto set = made_set();
  CHECK_FALSE(check_server_identity(set.cert, set.key, set.ca, now));
  CHECK_FALSE(check_server_identity(set.cert, set.key, std::nullopt, now));  // no CA named: nothing to verify
  CHECK_FALSE(check_server_identity(set.cert + set.ca, set.key, set.ca, now));  // a chain with its CA appended
}

TEST_CASE("another certificate's key, another CA, an expired certificate are each told apart", "[ads_sim][tls]") {
  const auto one = made_set();
  const auto other = made_set();
  const auto mismatch = check_server_identity(one.cert, other.key, one.ca, now);
  REQUIRE(mismatch);
  CHECK(mismatch->what == kind::key_mismatch);
  CHECK(mismatch->detail.empty());

  const auto foreign = check_server_identity(one.cert, one.key, other.ca, now);
  REQUIRE(foreign);
  CHECK(foreign->what == kind::not_signed_by_ca);
  CHECK(foreign->detail == "unable to get local issuer certificate");

  // ads-sim's certificates last ten years: in twenty, clients refuse them.
  const auto expired = check_server_identity(one.cert, one.key, one.ca, now + 20 * 365 * 24h);
  REQUIRE(expired);
  CHECK(expired->what == kind::not_signed_by_ca);
  CHECK(expired->detail == "certificate has expired");

  // The CA's certificate in place of the server's: the server's key is not its key.
  const auto ca_as_server = check_server_identity(one.ca, one.key, one.ca, now);
  REQUIRE(ca_as_server);
  CHECK(ca_as_server->what == kind::key_mismatch);
}

TEST_CASE("texts that hold no certificate or key, and an encrypted key, are refused without a prompt",
          "[ads_sim][tls]") {
  const auto set = made_set();
  CHECK(check_server_identity("", set.key, set.ca, now)->what == kind::no_certificate);
  CHECK(check_server_identity(set.key, set.key, set.ca, now)->what == kind::no_certificate);
  CHECK(check_server_identity(set.cert, "", set.ca, now)->what == kind::no_key);
  CHECK(check_server_identity(set.cert, set.cert, set.ca, now)->what == kind::no_key);
  CHECK(check_server_identity(set.cert, set.key, std::string_view("not PEM"), now)->what == kind::no_ca);
  // OpenSSL's default would ask for the passphrase on the terminal: a server started unattended must not wait.
  const auto locked = check_server_identity(set.cert, encrypted(set.key), set.ca, now);
  REQUIRE(locked);
  CHECK(locked->what == kind::encrypted_key);
}
