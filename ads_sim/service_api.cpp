// The core's in-process calls for OEMs, provision keys, devices and properties: what the admin and console routes,
// the server facade and the tests use.
#include "ads_client/rsa_key.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"
#include "common/random_bytes.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

namespace {

std::string random_alphanumeric(std::size_t length) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < length) {
    unsigned char byte = 0;
    common::random_bytes(&byte, 1);
    if (byte < 248) out += alphabet[byte % alphabet.size()];  // 248 = 4 * 62: no modulo bias
  }
  return out;
}

}  // namespace

api_result<created_oem> service_core::create_oem(std::string_view oem_id, std::string_view name,
                                                 std::string_view email, clock_time now) {
  if (!oem_id.empty() && !valid_name(oem_id, 32)) return http_error{400, "oem_id: 1..32 of [A-Za-z0-9_.-]"};
  if (name.empty() || name.size() > 128) return http_error{400, "name: 1..128 characters"};
  if (email.size() > 256 || email.find('@') == std::string_view::npos) return http_error{400, "email: bad"};
  oem_record oem{std::string(oem_id), std::string(name), std::string(email), random_hex(16)};
  const std::string created_at = iso8601(now);
  if (oem_id.empty()) {
    // Ids look like the console's ("71866f33"); retry the rare collision.
    for (int attempt = 0; attempt < 16; ++attempt) {
      oem.oem_id = random_hex(4);
      if (state_->storage->oems().insert_oem(oem, created_at))
        return created_oem{oem.oem_id, oem.name, oem.email, oem.secret};
    }
    return http_error{500, "cannot allocate an oem_id"};
  }
  if (const auto inserted = state_->storage->oems().insert_oem(oem, created_at); !inserted)
    return inserted.error() == store_error::exists ? http_error{409, "oem_id exists"}
                                                   : http_error{500, "cannot store the oem"};
  return created_oem{oem.oem_id, oem.name, oem.email, oem.secret};
}

std::optional<oem_record> service_core::find_oem(std::string_view oem_id) {
  auto oem = state_->storage->oems().find_oem(oem_id);
  if (!oem) return std::nullopt;
  return std::move(*oem);
}

api_result<provision_key_record> service_core::add_provision_key(std::string_view oem_id, std::string_view public_key,
                                                                 clock_time now) {
  if (!state_->storage->oems().find_oem(oem_id)) return http_error{404, "unknown oem"};
  auto key = ads_client::rsa_key::from_pem(public_key);
  if (!key) key = ads_client::rsa_key::public_from_base64_body(public_key);
  if (!key) return http_error{400, "public_key is not an RSA public key"};
  // Never keep a private key someone pasted by mistake.
  if (key->has_private()) return http_error{400, "public_key is a private key"};
  provision_key_record record{random_alphanumeric(16), std::string(oem_id), key->public_pem()};
  if (!state_->storage->oems().insert_provision_key(record, iso8601(now))) return http_error{500, "cannot store the key"};
  return record;
}

store_result<device_record> new_device(store& storage, std::string_view oem_id, std::string_view model,
                                       std::optional<std::string> hwid, const ads_client::rsa_key& key,
                                       clock_time now) {
  device_record device;
  device.oem_id = std::string(oem_id);
  device.model = std::string(model);
  device.hwid = std::move(hwid);
  device.public_key = key.public_base64_body();
  device.private_key_pem = key.private_pem();
  return storage.devices().insert_device(std::move(device), iso8601(now));
}

api_result<std::vector<factory_device>> service_core::create_factory_devices(std::string_view oem_id,
                                                                             std::string_view model,
                                                                             std::vector<ads_client::rsa_key> keys,
                                                                             clock_time now) {
  if (!state_->storage->oems().find_oem(oem_id)) return http_error{404, "unknown oem"};
  if (!valid_name(model, 64)) return http_error{400, "model: 1..64 of [A-Za-z0-9_.-]"};
  if (keys.empty() || keys.size() > static_cast<std::size_t>(max_factory_devices)) return http_error{400, "count: 1..100"};
  std::vector<factory_device> created;
  for (const auto& key : keys) {
    const auto device = new_device(*state_->storage, oem_id, model, std::nullopt, key, now);
    if (!device) return http_error{500, "cannot store the device"};
    created.push_back({device->dsn, device->key, device->public_key});
  }
  return created;
}

std::optional<std::pair<std::int64_t, std::string>> service_core::ans_identity(std::string_view dsn) {
  const auto device = state_->storage->devices().find_device_by_dsn(dsn);
  if (!device) return std::nullopt;
  return std::pair{device->key, ans_key_of(*device)};
}

std::vector<device_record> service_core::devices_of(std::string_view oem_id, std::string_view model) {
  std::vector<device_record> matching;
  for (auto& device : state_->storage->devices().list_devices())
    if (device.oem_id == oem_id && device.model == model) matching.push_back(std::move(device));
  return matching;
}

api_result<property_record> service_core::set_to_device_property(std::string_view dsn, std::string_view name,
                                                                 const json& value,
                                                                 std::optional<std::string_view> type_name,
                                                                 clock_time now, std::string_view metadata_json) {
  const auto device = state_->storage->devices().find_device_by_dsn(dsn);
  if (!device) return http_error{404, "unknown device"};
  if (!valid_name(name, 64)) return http_error{400, "bad property name"};
  const auto entry = template_entry(*state_->storage, *device, name);
  if (!entry) return entry.error();
  if (*entry && (*entry)->dir != direction::to_device)
    return http_error{422, "the template makes this property an output (from the device)"};
  const auto existing = state_->storage->properties().find_property(device->key, name);
  std::optional<base_type> type = existing ? std::optional(existing->type)
                                  : *entry ? std::optional((*entry)->type)
                                                 : std::nullopt;
  if (type_name) {
    const auto given = from_text<base_type>(*type_name);
    if (!given) return http_error{400, "base_type must be boolean, integer, decimal or string"};
    if (type && *type != *given) return http_error{422, "base_type differs from the property's"};
    type = given;
  }
  if (!type) return http_error{400, "base_type is required for a new property"};
  const auto normalised = normalised_value(*type, value);
  if (!normalised) return http_error{422, "value does not fit base_type"};
  property_record property = existing.value_or(property_record{});
  property.device_key = device->key;
  property.name = std::string(name);
  property.type = *type;
  property.dir = direction::to_device;
  property.value_json = normalised->dump();
  const std::string created_at = iso8601(now);
  auto stored = state_->storage->properties().record_value(property, metadata_json, created_at);
  if (!stored || !state_->storage->properties().queue_property(device->key, name, created_at))
    return http_error{500, "cannot store the property"};
  state_->woken.push_back(device->key);
  return std::move(*stored);
}

json service_core::device_json(const device_record& device, clock_time now) const {
  return json{{"dsn", device.dsn},
              {"key", device.key},
              {"oem_id", device.oem_id},
              {"model", device.model},
              {"hwid", device.hwid ? json(*device.hwid) : json(nullptr)},
              {"connected", connected(device, now)},
              {"listening", listening(device, now)},
              {"fw_version", device.fw_version},
              {"template_version", device.template_version}};
}

}  // namespace ads_sim

