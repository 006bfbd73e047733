#pragma once
// given_tls: the TLS material --tls-cert, --tls-key and --tls-ca name instead of the data dir's (replicas given one
// certificate, e.g. from a Secret mounted read-only), read and checked before ads-sim serves it.
#include <chrono>
#include <filesystem>
#include <optional>

#include "ads_sim/tls_material.hpp"
#include "common/result.hpp"

namespace ads_sim {

struct given_tls_files {
  std::filesystem::path certificate;       // --tls-cert: the server certificate, then any intermediates
  std::filesystem::path key;               // --tls-key: its private key, unencrypted
  std::optional<std::filesystem::path> ca; // --tls-ca: what clients are told to trust (the ready line's "ca")
};

// The files as the listener loads them, once each is readable and they serve together (server_identity.hpp) at
// `now`; else the one-line reason, naming the flag and its file (never the key's contents).
common::outcome<tls_files> check_given_tls(const given_tls_files& given, std::chrono::system_clock::time_point now);

}  // namespace ads_sim
