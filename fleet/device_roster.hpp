#pragma once
// device_roster: which modules the fleet runs — the folders of STATE-DIR that hold a module's NV (sorted by DSN),
// and, when there are fewer than asked for, new ones made through the device service's admin API (a factory
// device per module, its identity written into a fresh NV folder at once so a crash cannot orphan it). Blocking:
// it runs before the fleet's loops start. The OEM the fleet makes modules for, and its secret, are kept in
// STATE-DIR/fleet.json (0600); the secret is never printed. A shard (--shard I/N) either makes its own modules in a
// STATE-DIR of its own (fleet.json says whose) or takes its part of a whole fleet's STATE-DIR (every N-th module).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ads_admin/admin_session.hpp"
#include "apca/factory_identity.hpp"
#include "common/result.hpp"
#include "fleet/shard_position.hpp"

namespace fleet {

// The OEM new modules belong to, as the fleet remembers it.
struct fleet_oem {
  std::string oem_id;
  std::string oem_secret;
  std::string model;
  std::string region = "US";
  std::optional<shard_position> shard;  // the shard that made this STATE-DIR's modules; none: a whole fleet's
};

struct roster_module {
  std::string dsn;
  std::filesystem::path state_dir;  // STATE-DIR/<dsn>
};

struct roster_request {
  std::filesystem::path state_dir;
  std::size_t count = 0;             // --count: the whole fleet's
  std::optional<shard_position> shard;  // --shard: this run is that part of the fleet
  std::optional<std::string> oem;  // --oem
  std::string model;               // --model
  // The embedded service's demo OEM (id and secret), used when no --oem is given; nullopt with --ads-url.
  std::optional<fleet_oem> service_default_oem;
  std::function<void(const std::string& line)> progress;  // "made 300 of 1000 modules"
};

// The modules to run, in fleet order, made as needed; the error is one line (the service's reason, a folder's
// problem). Unsharded: the first `count` of STATE-DIR by DSN. A shard in a STATE-DIR it made (or a new one): its
// share of `count`, the first by DSN. A shard in a whole fleet's STATE-DIR: the modules its fleet numbers name in
// that fleet's DSN order; it makes none (shards side by side would make the same numbers twice).
common::outcome<std::vector<roster_module>> build_roster(const roster_request& request,
                                                         ads_admin::admin_session& admin);

// The modules already in STATE-DIR: folders whose NV names a DSN, sorted by DSN.
std::vector<roster_module> modules_in(const std::filesystem::path& state_dir);

}  // namespace fleet
