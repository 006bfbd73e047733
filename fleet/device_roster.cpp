#include "fleet/device_roster.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/read_file.hpp"
#include "config_store/atomic_file.hpp"
#include "config_store/file_store.hpp"
#include "emulator/module_host.hpp"

namespace fleet {

namespace {

using nlohmann::json;

const char* const oem_file_name = "fleet.json";
constexpr std::size_t devices_per_call = 100;  // the admin API's limit (PROTOCOL.md §3)

// The service's `created` devices' NV: the factory firmware and identity, saved before anything else happens.
common::outcome<common::done> write_new_module(const std::filesystem::path& dir, const apca::factory_identity& id,
                                               const std::string& firmware) {
  auto store = config_store::file_store::open(dir);
  if (!store) return common::failure{"cannot use " + dir.string() + ": " + store.error().reason};
  config_store::nv_image image;
  image.values["fw/version"] = firmware;
  apca::install_factory_identity(image, id);
  if (!store.value().save(image)) return common::failure{"cannot write the NV of " + dir.string()};
  return common::done{};
}

common::outcome<std::optional<fleet_oem>> read_oem_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<fleet_oem>{};
  const auto text = common::read_file(file);
  if (!text) return common::failure{"cannot read " + file.string()};
  const json doc = json::parse(*text, nullptr, false);
  if (!doc.is_object() || !doc.contains("oem_id") || !doc.contains("oem_secret") || !doc.contains("model"))
    return common::failure{file.string() + " is not a fleet's OEM record (oem_id, oem_secret, model)"};
  fleet_oem oem;
  oem.oem_id = doc["oem_id"].get<std::string>();
  oem.oem_secret = doc["oem_secret"].get<std::string>();
  oem.model = doc["model"].get<std::string>();
  oem.region = doc.value("region", "US");
  return std::optional<fleet_oem>{oem};
}

common::outcome<common::done> write_oem_file(const std::filesystem::path& file, const fleet_oem& oem) {
  const json doc = {{"oem_id", oem.oem_id}, {"oem_secret", oem.oem_secret}, {"model", oem.model},
                    {"region", oem.region}};
  if (const auto ec = config_store::write_file_atomically(file, doc.dump(2) + "\n", 0600))
    return common::failure{"cannot write " + file.string() + ": " + ec.message()};
  return common::done{};
}

// The OEM of this state dir: remembered, the service's demo OEM, or a new one made through the admin API.
common::outcome<fleet_oem> choose_oem(const roster_request& request, ads_admin::admin_session& admin) {
  const auto file = request.state_dir / oem_file_name;
  auto known = read_oem_file(file);
  if (!known) return known.error();
  if (*known) {
    const fleet_oem& oem = **known;
    if (request.oem && *request.oem != oem.oem_id)
      return common::failure{request.state_dir.string() + " holds modules of OEM " + oem.oem_id +
                             " (fleet.json), not " + *request.oem + ": use another --state-dir"};
    if (request.model != oem.model)
      return common::failure{request.state_dir.string() + " holds modules of model " + oem.model +
                             " (fleet.json), not " + request.model + ": use another --state-dir"};
    return oem;
  }
  fleet_oem oem;
  oem.model = request.model;
  const auto& fallback = request.service_default_oem;
  if (fallback && (!request.oem || *request.oem == fallback->oem_id)) {
    oem.oem_id = fallback->oem_id;
    oem.oem_secret = fallback->oem_secret;
  } else {
    json body = {{"name", "sim7600-fleet OEM"}, {"email", "fleet@sim7600-emu.invalid"}};
    if (request.oem) body["oem_id"] = *request.oem;
    const auto reply = admin.call("POST", "/oems", body);
    if (reply.status == 409)
      return common::failure{"OEM " + request.oem.value_or("") +
                             " exists on the service and its secret is not known to this --state-dir; give a new "
                             "--oem, or leave it out"};
    if (!reply.ok()) return common::failure{"cannot make the OEM: " + reply.failure_reason()};
    oem.oem_id = reply.body.value("oem_id", "");
    oem.oem_secret = reply.body.value("oem_secret", "");
  }
  if (auto written = write_oem_file(file, oem); !written) return written.error();
  return oem;
}

}  // namespace

std::vector<roster_module> modules_in(const std::filesystem::path& state_dir) {
  std::vector<roster_module> modules;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(state_dir, ec)) {
    if (!entry.is_directory(ec) || entry.path().filename() == "ads-sim") continue;
    auto store = config_store::file_store::open(entry.path());
    if (!store) continue;
    const auto loaded = store.value().load();
    const auto dsn = loaded.image.get("id/dev_id");
    if (!dsn || *dsn != entry.path().filename().string()) continue;  // not a module of ours
    modules.push_back({*dsn, entry.path()});
  }
  std::sort(modules.begin(), modules.end(), [](const auto& a, const auto& b) { return a.dsn < b.dsn; });
  return modules;
}

common::outcome<std::vector<roster_module>> build_roster(const roster_request& request,
                                                         ads_admin::admin_session& admin) {
  std::error_code ec;
  std::filesystem::create_directories(request.state_dir, ec);
  if (ec) return common::failure{"cannot use state dir " + request.state_dir.string() + ": " + ec.message()};
  auto oem = choose_oem(request, admin);
  if (!oem) return oem.error();

  std::vector<roster_module> modules = modules_in(request.state_dir);
  if (modules.size() > request.count) modules.resize(request.count);
  const std::size_t had = modules.size();
  while (modules.size() < request.count) {
    const std::size_t batch = std::min(devices_per_call, request.count - modules.size());
    const auto reply = admin.call("POST", "/oems/" + oem->oem_id + "/devices",
                                  json{{"model", oem->model}, {"count", batch}}, std::chrono::minutes(10));
    if (!reply.ok()) return common::failure{"cannot make devices: " + reply.failure_reason()};
    for (const auto& device : reply.body.value("devices", json::array())) {
      apca::factory_identity id{oem->oem_id, oem->model, oem->oem_secret, oem->region,
                                device.value("dsn", ""), device.value("public_key", "")};
      const auto dir = request.state_dir / id.dsn;
      if (auto written = write_new_module(dir, id, sim7600_emu::factory_firmware_version); !written)
        return written.error();
      modules.push_back({id.dsn, dir});
    }
    if (request.progress)
      request.progress("made " + std::to_string(modules.size() - had) + " of " + std::to_string(request.count - had) +
                       " new modules");
  }
  return modules;
}

}  // namespace fleet
