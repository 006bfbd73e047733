#pragma once
// data_dir: ads-sim's state folder — created 0700 on first start with its admin token, CA and server certificate
// (tls_material) and an empty database file, all private files 0600; only what the options leave to it. A folder
// ads-sim may not write (read_only_reason) serves as it is: nothing in it is created, replaced or chmod'ed.
#include <filesystem>
#include <optional>
#include <string>

#include "ads_sim/service_core.hpp"
#include "common/result.hpp"
#include "ads_sim/tls_material.hpp"

namespace ads_sim {

// What the data dir must hold, given what the flags name elsewhere.
struct data_dir_needs {
  bool admin_token = true;  // DIR/admin-token, unless --admin-token
  bool tls = true;          // DIR/ca.pem, server.pem, server-key.pem, unless --tls-cert/--tls-key
  bool database = true;     // DIR/ads.db, unless --db
  bool any() const { return admin_token || tls || database; }
};

struct data_dir_files {
  std::string admin_token;
  tls_files tls;                   // when needs.tls
  std::filesystem::path database;  // when needs.database
};

// Why ads-sim must not write in the existing folder `dir`, or nullopt when it may: a read-only file system, a
// folder its user may not write, or one whose mode grants no write at all (root's writes ignore modes, so the
// mode is what says "read-only" for it). Decided from the folder's metadata, never by trying a write.
std::optional<std::string> read_only_reason(const std::filesystem::path& dir);

// Opens `dir` for what `needs` asks (creating it and what is missing on first start, when it may be written).
// `admin_token`, when given, is used instead of DIR/admin-token. Nothing needed: the folder is not touched at all.
common::outcome<data_dir_files> open_data_dir(const std::filesystem::path& dir, const data_dir_needs& needs,
                                              std::optional<std::string> admin_token);

}  // namespace ads_sim
