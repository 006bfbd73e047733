#pragma once
// device_roster: which modules the fleet runs — the folders of STATE-DIR that hold a module's NV (sorted by DSN),
// and, when there are fewer than asked for, new ones made through the device service's admin API (a factory
// device per module, its identity written into a fresh NV folder at once so a crash cannot orphan it). Blocking:
// it runs before the fleet's loops start. The OEM the fleet makes modules for, and its secret, are kept in
// STATE-DIR/fleet.json (0600); the secret is never printed.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ads_admin/admin_session.hpp"
#include "apca/factory_identity.hpp"
#include "common/result.hpp"

namespace fleet {

// The OEM new modules belong to, as the fleet remembers it.
struct fleet_oem {
  std::string oem_id;
  std::string oem_secret;
  std::string model;
  std::string region = "US";
};

struct roster_module {
  std::string dsn;
  std::filesystem::path state_dir;  // STATE-DIR/<dsn>
};

struct roster_request {
  std::filesystem::path state_dir;
  std::size_t count = 0;
  std::optional<std::string> oem;  // --oem
  std::string model;               // --model
  // The embedded service's demo OEM (id and secret), used when no --oem is given; nullopt with --ads-url.
  std::optional<fleet_oem> service_default_oem;
  std::function<void(const std::string& line)> progress;  // "made 300 of 1000 modules"
};

// The `count` modules to run, made as needed; the error is one line (the service's reason, a folder's problem).
common::outcome<std::vector<roster_module>> build_roster(const roster_request& request,
                                                         ads_admin::admin_session& admin);

// The modules already in STATE-DIR: folders whose NV names a DSN, sorted by DSN.
std::vector<roster_module> modules_in(const std::filesystem::path& state_dir);

}  // namespace fleet
