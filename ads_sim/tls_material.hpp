#pragma once
// tls_material: ads-sim's own CA and the server certificate it signs, created once in the data dir, or the files a
// read-only data dir holds, used as they are.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ads_sim {

struct tls_files {
  std::filesystem::path ca_cert;      // ca.pem: what clients trust (empty: ads-sim does not know, see --tls-ca)
  std::filesystem::path ca_key;       // ca-key.pem, 0600 (empty: not ads-sim's to sign with)
  std::filesystem::path server_cert;  // server.pem, the chain ads-sim presents
  std::filesystem::path server_key;   // server-key.pem, 0600
};

// Names the server certificate carries besides the app hosts below (SPEC §1).
inline constexpr const char* server_alt_names = "DNS:localhost,IP:127.0.0.1,DNS:*.aylanetworks.com,DNS:*.ayla.com.cn";

// Ayla's user-service and device-service host names, per region, that the public app clients use (PROTOCOL.md
// §6.4 cites each): named one by one, not only through the wildcards, so a client that refuses wildcards, or a
// reader of the certificate, finds the very name its hosts-file entry points at ads-sim.
inline constexpr std::array<std::string_view, 15> ayla_app_host_names = {
    "user-field.aylanetworks.com",    "ads-field.aylanetworks.com",          // US field
    "user-field-eu.aylanetworks.com", "ads-eu.aylanetworks.com",             // EU
    "ads-field-eu.aylanetworks.com",                                         // EU, as the FGLair clients spell it
    "user-sharkue1.aylanetworks.com", "ads-sharkue1.aylanetworks.com",       // Shark (sharkiq today)
    "user-field-39a9391a.aylanetworks.com", "ads-field-39a9391a.aylanetworks.com",  // Shark (sharkiq before)
    "user-dev.aylanetworks.com",      "ads-dev.aylanetworks.com",            // US development
    "user-field.ayla.com.cn",         "ads-field.ayla.com.cn",               // China
    "user-dev.ayla.com.cn",           "ads-dev.ayla.com.cn",                 // China development
};

// Loads or, on first start, generates the CA and the server certificate in `dir`; a server certificate that lacks
// one of the names above (made by an older ads-sim), whose key is not its own or that the CA does not sign is made
// again with the same CA. `read_only`, when set, says why `dir` may not be written ("mode 0500"): then the files
// serve as they are (the CA key is not needed) or the error names the file and the fix. Files that are there but
// are not PEM are never replaced. Returns an error text on failure.
std::optional<std::string> ensure_tls_material(const std::filesystem::path& dir, tls_files& files,
                                               const std::optional<std::string>& read_only = std::nullopt);

}  // namespace ads_sim
