#include "ads_sim/given_tls.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ads_sim/server_identity.hpp"
#include "common/read_file.hpp"

namespace ads_sim {
namespace {

// A flag's file, read whole; the reason names the flag and the file.
common::outcome<std::string> read_flag_file(const char* flag, const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) return common::failure{std::string(flag) + ": cannot read " + file.string() + ": " + ec.message()};
  if (status.type() != std::filesystem::file_type::regular)
    return common::failure{std::string(flag) + ": " + file.string() + " is not a regular file"};
  if (::access(file.c_str(), R_OK) != 0)
    return common::failure{std::string(flag) + ": cannot read " + file.string() + ": " + std::strerror(errno)};
  auto text = common::read_file(file);
  if (!text) return common::failure{std::string(flag) + ": cannot read " + file.string()};
  return std::move(*text);
}

}  // namespace

common::outcome<tls_files> check_given_tls(const given_tls_files& given, std::chrono::system_clock::time_point now) {
  const auto chain = read_flag_file("--tls-cert", given.certificate);
  if (!chain) return chain.error();
  const auto key = read_flag_file("--tls-key", given.key);
  if (!key) return key.error();
  std::optional<std::string> ca;
  if (given.ca) {
    auto text = read_flag_file("--tls-ca", *given.ca);
    if (!text) return text.error();
    ca = std::move(*text);
  }
  const std::string cert_file = given.certificate.string();
  const std::string key_file = given.key.string();
  const std::string ca_file = given.ca ? given.ca->string() : std::string();
  using kind = identity_problem::kind;
  if (const auto problem = check_server_identity(*chain, *key, ca, now)) {
    switch (problem->what) {
      case kind::no_certificate: return common::failure{"--tls-cert: " + cert_file + " holds no PEM certificate"};
      case kind::no_key: return common::failure{"--tls-key: " + key_file + " holds no PEM private key"};
      case kind::encrypted_key:
        return common::failure{"--tls-key: " + key_file +
                               " is encrypted; ads-sim starts unattended: give it the key unencrypted"};
      case kind::key_mismatch:
        return common::failure{"--tls-key: " + key_file + " is not the key of the certificate in --tls-cert " +
                               cert_file};
      case kind::no_ca: return common::failure{"--tls-ca: " + ca_file + " holds no PEM certificate"};
      case kind::not_signed_by_ca:
        return common::failure{"--tls-cert: " + cert_file + " does not verify against --tls-ca " + ca_file + ": " +
                               problem->detail};
    }
  }
  return tls_files{given.ca.value_or(std::filesystem::path()), {}, given.certificate, given.key};
}

}  // namespace ads_sim
