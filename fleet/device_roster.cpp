#include "fleet/device_roster.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/read_file.hpp"
#include "config_store/atomic_file.hpp"
#include "config_store/file_store.hpp"
#include "emulator/factory_firmware.hpp"
#include "fleet/fleet_plan.hpp"

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
  if (const auto shard = doc.find("shard"); shard != doc.end() && shard->is_object())
    oem.shard = shard_position{shard->value("index", std::size_t{0}), shard->value("count", std::size_t{1})};
  return std::optional<fleet_oem>{oem};
}

common::outcome<common::done> write_oem_file(const std::filesystem::path& file, const fleet_oem& oem) {
  json doc = {{"oem_id", oem.oem_id}, {"oem_secret", oem.oem_secret}, {"model", oem.model}, {"region", oem.region}};
  if (oem.shard) doc["shard"] = {{"index", oem.shard->index}, {"count", oem.shard->count}};
  if (const auto ec = config_store::write_file_atomically(file, doc.dump(2) + "\n", 0600))
    return common::failure{"cannot write " + file.string() + ": " + ec.message()};
  return common::done{};
}

std::string shard_words(shard_position shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

// Why this run may not use a STATE-DIR whose modules one shard made, if it may not.
std::optional<std::string> shard_refusal(const roster_request& request, const fleet_oem& known) {
  if (!known.shard || known.shard == request.shard) return std::nullopt;
  const std::string whose = request.state_dir.string() + " holds the modules of shard " + shard_words(*known.shard) +
                            " (fleet.json)";
  if (!request.shard) return whose + ": run it with --shard " + shard_words(*known.shard) + ", or use another --state-dir";
  return whose + ", not " + shard_words(*request.shard) + ": give each shard its own --state-dir";
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
    if (auto refused = shard_refusal(request, oem)) return common::failure{*refused};
    return oem;
  }
  fleet_oem oem;
  oem.model = request.model;
  oem.shard = request.shard;
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

// A shard's part of a whole fleet's STATE-DIR: fleet module m is the m-th by DSN, as an unsharded run numbers them.
common::outcome<std::vector<roster_module>> whole_fleet_part(const roster_request& request,
                                                             const std::vector<roster_module>& found,
                                                             const std::vector<std::size_t>& members) {
  const std::string dir = request.state_dir.string();
  if (request.service_default_oem)
    return common::failure{"--shard in " + dir + ", a whole fleet's state dir, needs the --ads-url the fleet shares "
                           "(each shard's embedded service would open " + dir + "/ads-sim)"};
  if (found.size() < request.count)
    return common::failure{dir + " holds " + std::to_string(found.size()) + " modules of a whole fleet, fewer than --count " +
                           std::to_string(request.count) + ": a shard takes its part of a fleet made before (run it "
                           "once without --shard), or give each shard its own --state-dir"};
  std::vector<roster_module> part;
  for (const std::size_t m : members) part.push_back(found[m]);
  return part;
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
  std::size_t wanted = request.count;
  if (request.shard) {
    const auto members = shard_members(request.count, *request.shard);
    if (!oem->shard) return whole_fleet_part(request, modules, members);
    wanted = members.size();
  }
  if (modules.size() > wanted) modules.resize(wanted);
  const std::size_t had = modules.size();
  while (modules.size() < wanted) {
    const std::size_t batch = std::min(devices_per_call, wanted - modules.size());
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
      request.progress("made " + std::to_string(modules.size() - had) + " of " + std::to_string(wanted - had) +
                       " new modules");
  }
  return modules;
}

}  // namespace fleet
