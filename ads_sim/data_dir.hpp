#pragma once
// data_dir: ads-sim's state folder — created 0700 on first start with its admin token, CA and server certificate
// (tls_material) and an empty database file, all private files 0600.
#include <filesystem>
#include <optional>
#include <string>

#include "ads_sim/service_core.hpp"
#include "common/result.hpp"
#include "ads_sim/tls_material.hpp"

namespace ads_sim {

struct data_dir_files {
  std::string admin_token;
  tls_files tls;
  std::filesystem::path database;
};

// Opens (creating on first start) `dir`. `admin_token`, when given, is used instead of DIR/admin-token.
common::outcome<data_dir_files> open_data_dir(const std::filesystem::path& dir, std::optional<std::string> admin_token);

}  // namespace ads_sim
