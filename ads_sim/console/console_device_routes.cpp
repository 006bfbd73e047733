// The OEM's provision keys, models and devices (note §5.1.5–5.1.10): everything filtered to the caller's OEM.
#include <set>

#include "ads_client/ayla_host.hpp"
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim::console {

using nlohmann::json;

namespace {

std::vector<device_record> devices_of_oem(request_context& c) {
  std::vector<device_record> own;
  for (auto& device : c.storage().devices().list_devices())
    if (device.oem_id == c.account().oem_id) own.push_back(std::move(device));
  return own;
}

json console_device_json(request_context& c, const device_record& device) {
  json out = c.core.device_json(device, c.now);
  out.erase("key");
  out["last_seen"] = device.last_seen ? json(iso8601(clock_time(std::chrono::seconds(device.last_seen)))) : json();
  out["owner"] = owner_email(c, device);
  return out;
}

}  // namespace

reply get_provision_keys(request_context& c) {
  json keys = json::array();
  // Count: the DSNs each key has given out to devices provisioned in the field with it (note §5.1.5).
  for (const auto& key : c.storage().oems().list_provision_keys(c.account().oem_id))
    keys.push_back({{"oem_id", key.oem_id},
                    {"key_id", key.key_id},
                    {"public_key", key.public_key_pem},
                    {"dsns_reserved", c.storage().oems().count_provisioned(key.key_id)},
                    {"active", true}});
  return json_response(200, json{{"provision_keys", keys}});
}

reply post_provision_key(request_context& c) {
  const auto* pem = string_field(c.body, "public_key");
  if (!pem) return error_response(400, "public_key is required");
  const auto added = c.core.add_provision_key(c.account().oem_id, *pem, c.now);
  if (!added) return added.error();
  return json_response(201, json{{"key_id", added->key_id}, {"oem_id", added->oem_id}});
}

reply get_models(request_context& c) {
  std::map<std::string, int> counts;
  for (const auto& device : devices_of_oem(c)) ++counts[device.model];
  json models = json::array();
  for (const auto& [model, count] : counts)
    models.push_back({{"model", model},
                      {"devices", count},
                      {"host_name", ads_client::ayla_host_name("CN", model, c.account().oem_id)}});
  return json_response(200, json{{"models", models}});
}

reply get_devices(request_context& c) {
  json devices = json::array();
  for (const auto& device : devices_of_oem(c)) devices.push_back(console_device_json(c, device));
  return json_response(200, json{{"devices", devices}});
}

reply get_device(request_context& c) {
  const auto found = own_device(c, c.params.at(0));
  if (!found) return found.error();
  json out = console_device_json(c, *found);
  json properties = json::array();
  for (const auto& property : c.storage().properties().list_properties(found->key))
    properties.push_back(detail::property_json(property));
  out["properties"] = properties;
  // What the device shows for an end user's app to register it by, while it has no owner.
  out["regtoken"] = nullptr;
  if (out["owner"].is_null())
    if (const auto token = registration_token_for(c.storage(), found->key, c.now))
      out["regtoken"] = {{"token", token->token},
                         {"expires_at", iso8601(clock_time(std::chrono::seconds(token->expires_at)))}};
  // Whether the page can offer the terminal: the device's module runs in this process.
  out["terminal"] = c.state().terminals->find(found->dsn) != nullptr;
  return json_response(200, out);
}

reply get_datapoints(request_context& c) {
  const auto found = own_device(c, c.params.at(0));
  if (!found) return found.error();
  const auto property = c.storage().properties().find_property(found->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  json points = json::array();
  for (const auto& point : c.storage().properties().list_datapoints(property->id))
    points.push_back({{"value", parsed_or_null(point.value_json)}, {"created_at", point.created_at}});
  return json_response(200, json{{"datapoints", points}});
}

reply put_property(request_context& c) {
  const auto found = own_device(c, c.params.at(0));
  if (!found) return found.error();
  const auto value = c.body.find("value");
  if (value == c.body.end()) return error_response(400, "value is required");
  const auto existing = c.storage().properties().find_property(found->key, c.params.at(1));
  if (existing && existing->dir == direction::from_device)
    return error_response(409, "a from-device property: only the device sets it");
  const auto* type = string_field(c.body, "base_type");
  const auto set = c.core.set_to_device_property(found->dsn, c.params.at(1), *value,
                                                 type ? std::optional<std::string_view>(*type) : std::nullopt, c.now);
  if (!set) return set.error();
  return json_response(200, detail::property_json(*set));
}

}  // namespace ads_sim::console
