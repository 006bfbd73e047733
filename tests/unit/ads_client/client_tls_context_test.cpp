// One TLS client context per CA file for the whole process (a fleet of modules shares one SSL_CTX); a CA file
// that changed on disk gets a new one; a file that holds no certificate is refused with its name.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "ads_client/client_tls_context.hpp"

namespace {

constexpr const char* system_bundle = "/etc/ssl/certs/ca-certificates.crt";

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}

}  // namespace

TEST_CASE("client TLS context: the same CA file gives the same context", "[tls]") {
  const auto first = ads_client::client_tls_context(system_bundle);
  const auto second = ads_client::client_tls_context(system_bundle);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first.value() == second.value());
  CHECK(first.value() != ads_client::client_tls_context("").value());  // the system's trust store is another
}

TEST_CASE("client TLS context: a CA file changed on disk gets a new context", "[tls]") {
  const auto path = temp_file("ca-changed");
  std::filesystem::copy_file(system_bundle, path, std::filesystem::copy_options::overwrite_existing);
  const auto before = ads_client::client_tls_context(path.string());
  REQUIRE(before);
  std::ofstream(path, std::ios::app) << "\n";  // one byte more: another version of the file
  const auto after = ads_client::client_tls_context(path.string());
  REQUIRE(after);
  CHECK(before.value() != after.value());
  std::filesystem::remove(path);
}

TEST_CASE("client TLS context: a file without a certificate is refused, naming the file", "[tls]") {
  const auto path = temp_file("ca-empty");
  std::ofstream(path) << "not a certificate\n";
  const auto refused = ads_client::client_tls_context(path.string());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().reason.starts_with("ca file " + path.string() + ": "));
  std::filesystem::remove(path);
}
