// The admin API's route handlers (PROTOCOL.md §3) and the in-process calls they share with embedders.
#include "ads_client/rsa_key.hpp"
#include "ads_sim/service_core_detail.hpp"
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
  using result = api_result<created_oem>;
  if (!oem_id.empty() && !valid_name(oem_id, 32)) return result::failure(400, "oem_id: 1..32 of [A-Za-z0-9_.-]");
  if (name.empty() || name.size() > 128) return result::failure(400, "name: 1..128 characters");
  if (email.size() > 256 || email.find('@') == std::string_view::npos) return result::failure(400, "email: bad");
  oem_record oem{std::string(oem_id), std::string(name), std::string(email), random_hex(16)};
  const std::string created_at = iso8601(now);
  if (oem_id.empty()) {
    // Ids look like the console's ("71866f33"); retry the rare collision.
    for (int attempt = 0; attempt < 16; ++attempt) {
      oem.oem_id = random_hex(4);
      if (store_->oems().insert_oem(oem, created_at))
        return result::success({oem.oem_id, oem.name, oem.email, oem.secret});
    }
    return result::failure(500, "cannot allocate an oem_id");
  }
  if (const auto inserted = store_->oems().insert_oem(oem, created_at); !inserted)
    return inserted.error() == store_error::exists ? result::failure(409, "oem_id exists")
                                                   : result::failure(500, "cannot store the oem");
  return result::success({oem.oem_id, oem.name, oem.email, oem.secret});
}

std::optional<oem_record> service_core::find_oem(std::string_view oem_id) {
  auto oem = store_->oems().find_oem(oem_id);
  if (!oem) return std::nullopt;
  return std::move(*oem);
}

api_result<provision_key_record> service_core::add_provision_key(std::string_view oem_id, std::string_view public_key,
                                                                 clock_time now) {
  using result = api_result<provision_key_record>;
  if (!store_->oems().find_oem(oem_id)) return result::failure(404, "unknown oem");
  auto key = ads_client::rsa_key::from_pem(public_key);
  if (!key) key = ads_client::rsa_key::public_from_base64_body(public_key);
  if (!key) return result::failure(400, "public_key is not an RSA public key");
  // Never keep a private key someone pasted by mistake.
  if (key->has_private()) return result::failure(400, "public_key is a private key");
  provision_key_record record{random_alphanumeric(16), std::string(oem_id), key->public_pem()};
  if (!store_->oems().insert_provision_key(record, iso8601(now))) return result::failure(500, "cannot store the key");
  return result::success(record);
}

store_result<device_record> service_core::new_device(std::string_view oem_id, std::string_view model,
                                                      std::optional<std::string> hwid,
                                                      const ads_client::rsa_key& key, clock_time now) {
  device_record device;
  device.oem_id = std::string(oem_id);
  device.model = std::string(model);
  device.hwid = std::move(hwid);
  device.public_key = key.public_base64_body();
  device.private_key_pem = key.private_pem();
  return store_->devices().insert_device(std::move(device), iso8601(now));
}

api_result<std::vector<factory_device>> service_core::create_factory_devices(std::string_view oem_id,
                                                                             std::string_view model,
                                                                             std::vector<ads_client::rsa_key> keys,
                                                                             clock_time now) {
  using result = api_result<std::vector<factory_device>>;
  if (!store_->oems().find_oem(oem_id)) return result::failure(404, "unknown oem");
  if (!valid_name(model, 64)) return result::failure(400, "model: 1..64 of [A-Za-z0-9_.-]");
  if (keys.empty() || keys.size() > static_cast<std::size_t>(max_factory_devices)) return result::failure(400, "count: 1..100");
  std::vector<factory_device> created;
  for (const auto& key : keys) {
    const auto device = new_device(oem_id, model, std::nullopt, key, now);
    if (!device) return result::failure(500, "cannot store the device");
    created.push_back({device->dsn, device->key, device->public_key});
  }
  return result::success(std::move(created));
}

std::vector<device_record> service_core::devices_of(std::string_view oem_id, std::string_view model) {
  std::vector<device_record> matching;
  for (auto& device : store_->devices().list_devices())
    if (device.oem_id == oem_id && device.model == model) matching.push_back(std::move(device));
  return matching;
}

api_result<property_record> service_core::set_to_device_property(std::string_view dsn, std::string_view name,
                                                                 const json& value,
                                                                 std::optional<std::string_view> type_name,
                                                                 clock_time now) {
  using result = api_result<property_record>;
  const auto device = store_->devices().find_device_by_dsn(dsn);
  if (!device) return result::failure(404, "unknown device");
  if (!valid_name(name, 64)) return result::failure(400, "bad property name");
  const auto entry = template_entry(*device, name);
  if (!entry) return result::failure(entry.status, entry.error);
  if (*entry.value && (*entry.value)->dir != direction::to_device)
    return result::failure(422, "the template makes this property an output (from the device)");
  const auto existing = store_->properties().find_property(device->key, name);
  std::optional<base_type> type = existing ? std::optional(existing->type)
                                  : *entry.value ? std::optional((*entry.value)->type)
                                                 : std::nullopt;
  if (type_name) {
    const auto given = from_text<base_type>(*type_name);
    if (!given) return result::failure(400, "base_type must be boolean, integer, decimal or string");
    if (type && *type != *given) return result::failure(422, "base_type differs from the property's");
    type = given;
  }
  if (!type) return result::failure(400, "base_type is required for a new property");
  const auto normalised = normalised_value(*type, value);
  if (!normalised) return result::failure(422, "value does not fit base_type");
  property_record property = existing.value_or(property_record{});
  property.device_key = device->key;
  property.name = std::string(name);
  property.type = *type;
  property.dir = direction::to_device;
  property.value_json = normalised->dump();
  const std::string created_at = iso8601(now);
  auto stored = store_->properties().record_value(property, "{}", created_at);
  if (!stored || !store_->properties().queue_property(device->key, name, created_at))
    return result::failure(500, "cannot store the property");
  woken_.push_back(device->key);
  return result::success(std::move(*stored));
}

json service_core::device_json(const device_record& device, clock_time now) const {
  return json{{"dsn", device.dsn},
              {"key", device.key},
              {"oem_id", device.oem_id},
              {"model", device.model},
              {"hwid", device.hwid ? json(*device.hwid) : json(nullptr)},
              {"connected", connected(device, now)},
              {"listening", listening(device.key, now)},
              {"fw_version", device.fw_version},
              {"template_version", device.template_version}};
}

outcome service_core::admin_post_oem(call& c) {
  for (const char* name : {"oem_id", "name", "email"})
    if (c.body.contains(name) && !c.body[name].is_string())
      return error_response(400, std::string(name) + " must be a string");
  const auto* name = string_field(c.body, "name");
  const auto* email = string_field(c.body, "email");
  if (!name || !email) return error_response(400, "name and email are required");
  const auto* oem_id = string_field(c.body, "oem_id");
  const auto created = create_oem(oem_id ? *oem_id : "", *name, *email, c.now);
  if (!created) return failure_response(created);
  return json_response(201, json{{"oem_id", created.value->oem_id},
                                 {"name", created.value->name},
                                 {"email", created.value->email},
                                 {"oem_secret", created.value->secret}});
}

outcome service_core::admin_list_oems(call&) {
  json oems = json::array();
  for (const auto& oem : store_->oems().list_oems())
    oems.push_back({{"oem_id", oem.oem_id}, {"name", oem.name}, {"email", oem.email}});
  return json_response(200, json{{"oems", oems}});
}

outcome service_core::admin_post_provision_key(call& c) {
  const auto* public_key = string_field(c.body, "public_key");
  if (!public_key) return error_response(400, "public_key is required");
  const auto added = add_provision_key(c.params.at(0), *public_key, c.now);
  if (!added) return failure_response(added);
  return json_response(201, json{{"key_id", added.value->key_id}, {"oem_id", added.value->oem_id}});
}

outcome service_core::admin_list_provision_keys(call& c) {
  if (!store_->oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  json keys = json::array();
  for (const auto& key : store_->oems().list_provision_keys(c.params.at(0)))
    keys.push_back({{"key_id", key.key_id}, {"oem_id", key.oem_id}, {"public_key", key.public_key_pem}});
  return json_response(200, json{{"provision_keys", keys}});
}

outcome service_core::admin_post_devices(call& c) {
  const auto* model = string_field(c.body, "model");
  const auto count = c.body.find("count");
  if (!model || count == c.body.end() || !count->is_number_integer())
    return error_response(400, "model (string) and count (integer) are required");
  const std::int64_t wanted = count->get<std::int64_t>();
  if (wanted < 1 || wanted > max_factory_devices) return error_response(400, "count: 1..100");
  // Checked before asking for keys: a request bound to fail never costs their generation.
  if (!store_->oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  if (!valid_name(*model, 64)) return error_response(400, "model: 1..64 of [A-Za-z0-9_.-]");
  if (c.prepared.keys.size() != static_cast<std::size_t>(wanted)) return need_keys{static_cast<int>(wanted)};
  const auto created = create_factory_devices(c.params.at(0), *model, std::move(c.prepared.keys), c.now);
  if (!created) return failure_response(created);
  json devices = json::array();
  for (const auto& device : *created.value) devices.push_back({{"dsn", device.dsn}, {"public_key", device.public_key}});
  return json_response(201, json{{"devices", devices}});
}

outcome service_core::admin_list_devices(call& c) {
  json devices = json::array();
  for (const auto& device : store_->devices().list_devices()) devices.push_back(device_json(device, c.now));
  return json_response(200, json{{"devices", devices}});
}

outcome service_core::admin_get_device(call& c) {
  const auto device = store_->devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  return json_response(200, device_json(*device, c.now));
}

outcome service_core::admin_get_auth_refusals(call& c) {
  const auto device = store_->devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto found = auth_refusals_.find(device->key);
  if (found == auth_refusals_.end()) return json_response(200, json{{"dsn", device->dsn}, {"count", 0}, {"last_reason", nullptr}});
  return json_response(200, json{{"dsn", device->dsn}, {"count", found->second.count}, {"last_reason", found->second.last_reason}});
}

outcome service_core::admin_list_properties(call& c) {
  const auto device = store_->devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  json properties = json::array();
  for (const auto& property : store_->properties().list_properties(device->key)) properties.push_back(property_json(property));
  return json_response(200, json{{"properties", properties}});
}

outcome service_core::admin_get_property(call& c) {
  const auto device = store_->devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto property = store_->properties().find_property(device->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  return json_response(200, property_json(*property));
}

outcome service_core::admin_put_property(call& c) {
  if (!c.body.contains("value")) return error_response(400, "value is required");
  std::optional<std::string_view> type_name;
  if (c.body.contains("base_type")) {
    const auto* given = string_field(c.body, "base_type");
    if (!given) return error_response(400, "base_type must be a string");
    type_name = *given;
  }
  const auto set = set_to_device_property(c.params.at(0), c.params.at(1), c.body["value"], type_name, c.now);
  if (!set) return failure_response(set);
  return json_response(200, property_json(*set.value));
}

outcome service_core::admin_list_datapoints(call& c) {
  const auto device = store_->devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto property = store_->properties().find_property(device->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  json datapoints = json::array();
  for (const auto& point : store_->properties().list_datapoints(property->id))
    datapoints.push_back({{"value", parsed_or_null(point.value_json)},
                          {"metadata", parsed_or_null(point.metadata_json)},
                          {"created_at", point.created_at}});
  return json_response(200, json{{"datapoints", datapoints}});
}

}  // namespace ads_sim
