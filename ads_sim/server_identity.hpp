#pragma once
// server_identity: whether a certificate chain, its private key and the CA clients are told to trust can serve
// together, before ads-sim serves them. PEM texts and the time in, the problem out: no files, no clock.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ads_sim {

// What stops a chain, key and CA from serving together.
struct identity_problem {
  enum class kind {
    no_certificate,    // the chain text holds no PEM certificate
    no_key,            // the key text holds no PEM private key
    encrypted_key,     // the key needs a passphrase, which a server started unattended has not
    key_mismatch,      // the key is not the certificate's
    no_ca,             // the CA text holds no PEM certificate
    not_signed_by_ca,  // the chain does not verify against the CA at that time (detail: OpenSSL's reason)
  };
  kind what;
  std::string detail;
};

// Nullopt when `key_pem` is the private key of the first certificate in `chain_pem` and, when a CA is given, the
// chain verifies against it at `now` for a TLS server. The key's text never appears in the problem.
std::optional<identity_problem> check_server_identity(std::string_view chain_pem, std::string_view key_pem,
                                                      std::optional<std::string_view> ca_pem,
                                                      std::chrono::system_clock::time_point now);

}  // namespace ads_sim
