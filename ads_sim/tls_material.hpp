#pragma once
// tls_material: ads-sim's own CA and the server certificate it signs, created once in the data dir.
#include <filesystem>
#include <optional>
#include <string>

namespace ads_sim {

struct tls_files {
  std::filesystem::path ca_cert;      // ca.pem: what clients trust
  std::filesystem::path ca_key;       // ca-key.pem, 0600
  std::filesystem::path server_cert;  // server.pem
  std::filesystem::path server_key;   // server-key.pem, 0600
};

// Names the server certificate carries (SPEC §1).
inline constexpr const char* server_alt_names = "DNS:localhost,IP:127.0.0.1,DNS:*.aylanetworks.com,DNS:*.ayla.com.cn";

// Loads or, on first start, generates the CA and the server certificate in `dir`. Returns an error text on failure.
std::optional<std::string> ensure_tls_material(const std::filesystem::path& dir, tls_files& files);

}  // namespace ads_sim
