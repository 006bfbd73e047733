#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <sstream>

#include "support.hpp"
#include "ads_sim/tls_material.hpp"

using namespace ads_sim_test;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct x509_deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};

std::unique_ptr<X509, x509_deleter> load(const fs::path& file) {
  const std::string pem = read(file);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(cert != nullptr);
  return std::unique_ptr<X509, x509_deleter>(cert);
}

bool signed_by(X509* cert, X509* ca) { return X509_verify(cert, X509_get0_pubkey(ca)) == 1; }

bool secret_file(const fs::path& file) {
  return (fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none;
}

}  // namespace

TEST_CASE("first start creates a CA and a server certificate it signs, keys private", "[ads_sim][tls]") {
  temp_dir dir;
  ads_sim::tls_files files;
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  CHECK(files.ca_cert == dir.path() / "ca.pem");
  const auto ca = load(files.ca_cert);
  const auto server = load(files.server_cert);
  CHECK(signed_by(server.get(), ca.get()));
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK(X509_check_host(server.get(), "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(server.get(), "127.0.0.1", 0) == 1);
  CHECK(X509_check_host(server.get(), "ledevb-71866f33-device.ayla.com.cn", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(server.get(), "example.com", 0, 0, nullptr) != 1);
  CHECK(secret_file(files.ca_key));
  CHECK(secret_file(files.server_key));
}

TEST_CASE("later starts reuse the material, a lost server certificate is re-issued by the same CA", "[ads_sim][tls]") {
  temp_dir dir;
  ads_sim::tls_files files;
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  const std::string ca_pem = read(files.ca_cert);
  const std::string server_pem = read(files.server_cert);
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  CHECK(read(files.ca_cert) == ca_pem);
  CHECK(read(files.server_cert) == server_pem);

  fs::remove(files.server_cert);
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  CHECK(read(files.ca_cert) == ca_pem);  // clients that trust the CA keep working
  CHECK(read(files.server_cert) != server_pem);
  CHECK(signed_by(load(files.server_cert).get(), load(files.ca_cert).get()));
}

TEST_CASE("the server certificate names each Ayla app host itself, not only through a wildcard", "[ads_sim][tls]") {
  temp_dir dir;
  ads_sim::tls_files files;
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  const auto server = load(files.server_cert);
  for (const auto name : ads_sim::ayla_app_host_names) {
    INFO(name);
    CHECK(X509_check_host(server.get(), name.data(), name.size(), X509_CHECK_FLAG_NO_WILDCARDS, nullptr) == 1);
  }
  CHECK(X509_check_host(server.get(), "rulesservice-field.aylanetworks.com", 0, X509_CHECK_FLAG_NO_WILDCARDS,
                        nullptr) != 1);
}

TEST_CASE("a server certificate without the app hosts (an older ads-sim's) is made again by the same CA",
          "[ads_sim][tls]") {
  temp_dir dir;
  ads_sim::tls_files files;
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  const std::string ca_pem = read(files.ca_cert);
  // A parseable certificate that names none of them stands in for the older one.
  { std::ofstream(files.server_cert, std::ios::trunc) << ca_pem; }
  REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files).has_value());
  CHECK(read(files.ca_cert) == ca_pem);
  const auto server = load(files.server_cert);
  CHECK(signed_by(server.get(), load(files.ca_cert).get()));
  CHECK(X509_check_host(server.get(), "user-field.aylanetworks.com", 0, X509_CHECK_FLAG_NO_WILDCARDS, nullptr) == 1);
}
