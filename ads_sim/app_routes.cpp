// Ayla's application API (PROTOCOL.md §6.2): an end user's devices, their properties and datapoints, in the shapes
// the public app clients parse ([{"device":{...}}], [{"property":{...}}], {"datapoint":{...}}, times
// YYYY-MM-DDThh:mm:ssZ). The router has checked the user's access token; a user sees only the devices registered
// to them, and any other device is 404, exactly as an unknown one.
#include <algorithm>

#include "ads_sim/app_api_detail.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

std::string app_time(std::string_view stored) {
  if (stored.size() < 19) return std::string(stored);
  return std::string(stored.substr(0, 19)) + "Z";
}

api_result<device_record> user_device_by_dsn(request_context& c, std::string_view dsn) {
  return owned_device(c.storage(), *c.user, c.storage().devices().find_device_by_dsn(dsn));
}

namespace {

// Datapoint lists: at most this many in one answer (not in Ayla's public material).
constexpr std::int64_t max_datapoints = 1000;

json app_time_or_null(const std::optional<std::string>& stored) {
  return stored ? json(app_time(*stored)) : json(nullptr);
}

json app_device_json(request_context& c, const device_record& device) {
  // Reachable counts as online: an idle module that keeps its ANS registration alive is online for its user, on
  // whichever replica the app asks.
  const bool online = c.core.connected(device, c.now) || c.core.listening(device, c.now);
  return json{{"device",
               {{"key", device.key},
                {"dsn", device.dsn},
                {"product_name", device.dsn},
                {"model", device.model},
                {"oem_model", device.model},
                {"oem", device.oem_id},
                {"sw_version", device.fw_version},
                {"template_version", device.template_version},
                {"mac", nullptr},
                {"lan_ip", nullptr},
                {"lan_enabled", false},
                {"unique_hardware_id", device.hwid ? json(*device.hwid) : json(nullptr)},
                {"connection_status", online ? "Online" : "Offline"},
                {"connected_at", device.last_seen ? json(app_time(iso8601(clock_time(std::chrono::seconds(
                                                                   device.last_seen)))))
                                                  : json(nullptr)},
                {"has_properties", !c.storage().properties().list_properties(device.key).empty()},
                {"registered", true},
                {"registration_type", std::string(to_text(registration_type_of(c.storage(), device.key)))},
                {"user_uuid", c.user->uuid}}}};
}

json app_property_json(const device_record& device, const property_record& property) {
  return json{{"property",
               {{"type", "Property"},
                {"name", property.name},
                {"display_name", property.name},
                {"key", property.id},
                {"device_key", device.key},
                {"product_name", device.dsn},
                {"base_type", std::string(to_text(property.type))},
                {"direction", std::string(to_text(property.dir))},
                {"read_only", property.dir == direction::from_device},
                {"scope", "user"},
                {"value", parsed_or_null(property.value_json)},
                {"data_updated_at", app_time_or_null(property.updated_at)},
                {"ack_enabled", false},
                {"track_only_changes", false},
                {"time_series", false},
                {"derived", false},
                {"denied_roles", json::array()}}}};
}

json app_datapoint_json(const datapoint_record& point) {
  const std::string at = app_time(point.created_at);
  return json{{"datapoint",
               {{"value", parsed_or_null(point.value_json)},
                {"metadata", parsed_or_null(point.metadata_json)},
                {"created_at", at},
                {"updated_at", at},
                {"echo", false}}}};
}

// The user's device the path's DSN names (params[0]).
api_result<device_record> device_by_dsn(request_context& c) { return user_device_by_dsn(c, c.params.at(0)); }

api_result<device_record> device_by_key(request_context& c) {
  const auto key = parse_int(c.params.at(0));
  if (!key) return http_error{404, "Device not found"};
  return owned_device(c.storage(), *c.user, c.storage().devices().find_device(*key));
}

reply get_devices(request_context& c) {
  json devices = json::array();
  for (const auto key : c.storage().end_users().devices_of_user(c.user->user_id))
    if (const auto device = c.storage().devices().find_device(key)) devices.push_back(app_device_json(c, *device));
  return json_response(200, devices);
}

reply get_device(request_context& c) {
  const auto device = device_by_key(c);
  if (!device) return device.error();
  return json_response(200, app_device_json(c, *device));
}

// By DSN, by the registration token the device shows, or by both (Ayla's SDKs: AylaRegistration.m
// registerDeviceWithDSN:registrationToken: sends {"device":{"dsn","regtoken"}} with what it has): the token then
// names the device, and a DSN beside it must be that device's.
reply post_device(request_context& c) {
  const json* fields = object_field(c.body, "device");
  const auto* dsn = fields ? string_field(*fields, "dsn") : nullptr;
  const auto* token = fields ? string_field(*fields, "regtoken") : nullptr;
  if ((!dsn || dsn->empty()) && (!token || token->empty()))
    return http_error{400, "device.dsn or device.regtoken is required"};
  if (!token || token->empty()) {
    const auto device = register_device(c.storage(), *c.user, *dsn, c.now);
    if (!device) return device.error();
    return json_response(201, app_device_json(c, *device));
  }
  std::optional<std::string_view> named;
  if (dsn && !dsn->empty()) named = *dsn;
  const auto device = register_device_by_token(c.storage(), *c.user, *token, named, c.now);
  if (!device) return device.error();
  return json_response(201, app_device_json(c, *device));
}

// Ayla's answer is 200 "The device was unregistered", with nothing to parse. The device shows a new registration
// token from its next GET /dsns.
reply delete_device(request_context& c) {
  const auto device = device_by_key(c);
  if (!device) return device.error();
  if (!c.storage().end_users().clear_device_owner(device->key)) return http_error{500, "cannot store"};
  return empty_response(200);
}

// The device's properties by name: those it has, and those its model's template names that have no value yet (key
// 0, value null), so an app sees and can set a to-device property before its first value, as on Ayla.
std::vector<property_record> properties_of(request_context& c, const device_record& device) {
  auto properties = c.storage().properties().list_properties(device.key);
  const auto list = c.storage().templates().find_template(device.oem_id, device.model);
  if (!list) return properties;
  for (const auto& entry : *list) {
    const auto same_name = [&entry](const property_record& p) { return p.name == entry.name; };
    if (std::none_of(properties.begin(), properties.end(), same_name))
      properties.push_back(property_record{0, device.key, entry.name, entry.type, entry.dir, std::nullopt, std::nullopt});
  }
  std::sort(properties.begin(), properties.end(),
            [](const property_record& a, const property_record& b) { return a.name < b.name; });
  return properties;
}

// ?names[]=A&names[]=B keeps only those (the clients' partial update).
reply get_properties(request_context& c) {
  const auto device = device_by_dsn(c);
  if (!device) return device.error();
  const auto names = c.request.query_values("names[]");
  json properties = json::array();
  for (const auto& property : properties_of(c, *device))
    if (names.empty() || std::find(names.begin(), names.end(), property.name) != names.end())
      properties.push_back(app_property_json(*device, property));
  return json_response(200, properties);
}

reply get_property(request_context& c) {
  const auto device = device_by_dsn(c);
  if (!device) return device.error();
  for (const auto& property : properties_of(c, *device))
    if (property.name == c.params.at(1)) return json_response(200, app_property_json(*device, property));
  return http_error{404, "Property not found"};
}

// Datapoint metadata (DatapointRequest's `metadata`): an object of strings, kept with the datapoint and shown with
// it; the bound is ads-sim's.
constexpr std::size_t max_metadata_text = 1024;

api_result<std::string> datapoint_metadata(const json& fields) {
  const json* metadata = member(fields, "metadata");
  if (!metadata || metadata->is_null()) return std::string("{}");
  const bool strings = metadata->is_object() && std::all_of(metadata->begin(), metadata->end(),
                                                             [](const json& value) { return value.is_string(); });
  if (!strings) return http_error{422, "datapoint.metadata must be an object of strings"};
  std::string text = metadata->dump();
  if (text.size() > max_metadata_text) return http_error{422, "datapoint.metadata: at most 1024 characters as JSON"};
  return text;
}

// One to-device value from the user's app (`fields` is the body's "datapoint" object), the way the admin API's set
// goes: stored, queued, and the module woken through ANS. The answer is the new {"datapoint":...}.
api_result<json> set_app_datapoint(request_context& c, const device_record& device, const std::string& name,
                                   const json& fields) {
  const json* value = member(fields, "value");
  if (!value) return http_error{400, "datapoint.value is required"};
  const auto metadata = datapoint_metadata(fields);
  if (!metadata) return metadata.error();
  const auto properties = properties_of(c, device);
  const auto property = std::find_if(properties.begin(), properties.end(),
                                     [&name](const property_record& p) { return p.name == name; });
  if (property == properties.end()) return http_error{404, "Property not found"};
  if (property->dir == direction::from_device) return http_error{422, "Property is read only"};
  const auto set = c.core.set_to_device_property(device.dsn, name, *value, std::nullopt, c.now, *metadata);
  if (!set) return set.error();
  const auto points = c.storage().properties().list_datapoints(set->id);
  if (points.empty()) return http_error{500, "the datapoint vanished"};
  return app_datapoint_json(points.back());
}

reply post_datapoint(request_context& c) {
  const auto device = device_by_dsn(c);
  if (!device) return device.error();
  const json* fields = object_field(c.body, "datapoint");
  if (!fields) return http_error{400, "datapoint.value is required"};
  const auto point = set_app_datapoint(c, *device, c.params.at(1), *fields);
  if (!point) return point.error();
  return json_response(201, *point);
}

// Elements in one batch: not Ayla's number (none is published), ads-sim's bound on one request's work.
constexpr std::size_t max_batch_datapoints = 100;

// One element of a batch, {"dsn","name","datapoint":{...}}, answered as Ayla's SDKs read it
// (AylaDatapointBatchResponse.m: "status", "dsn", "name", "datapoint"): its own status, and the datapoint or the
// error. Another user's device is 404 as an unknown one, and nothing of it is shown.
json batch_element(request_context& c, const json& element) {
  const auto* dsn = element.is_object() ? string_field(element, "dsn") : nullptr;
  const auto* name = element.is_object() ? string_field(element, "name") : nullptr;
  const json* fields = element.is_object() ? object_field(element, "datapoint") : nullptr;
  json answer{{"dsn", dsn ? json(*dsn) : json(nullptr)}, {"name", name ? json(*name) : json(nullptr)}};
  const auto point = [&]() -> api_result<json> {
    if (!dsn || !name || !fields) return http_error{400, "each element needs dsn, name and datapoint"};
    const auto device = user_device_by_dsn(c, *dsn);
    if (!device) return device.error();
    return set_app_datapoint(c, *device, *name, *fields);
  }();
  if (!point) {
    answer["status"] = point.error().status;
    answer.update(app_error_body(point.error().message));
    return answer;
  }
  answer["status"] = 201;
  answer.update(*point);
  return answer;
}

// POST /apiv1/batch_datapoints.json: many values for many devices in one request; 201 with one answer per element,
// in order, each with its own status (a refused element does not stop the others).
reply post_batch_datapoints(request_context& c) {
  const json* list = member(c.body, "batch_datapoints");
  if (!list || !list->is_array() || list->empty() || list->size() > max_batch_datapoints)
    return http_error{400, "batch_datapoints: a list of 1..100 {dsn, name, datapoint}"};
  json answers = json::array();
  for (const auto& element : *list) answers.push_back(batch_element(c, element));
  return json_response(201, answers);
}

// Oldest first, filtered by ?filter[created_at_since_date]= / ?filter[created_at_end_date]= (inclusive), then
// ?limit=N keeps the newest N, or ?page=P&per_page=N gives page P (from 1) of N.
reply datapoints_of(request_context& c, const property_record& property) {
  auto points = c.storage().properties().list_datapoints(property.id);
  const auto since = c.request.query_param("filter[created_at_since_date]");
  const auto until = c.request.query_param("filter[created_at_end_date]");
  std::erase_if(points, [&](const datapoint_record& point) {
    const std::string at = app_time(point.created_at);
    return (since && at < app_time(*since)) || (until && at > app_time(*until));
  });
  const auto number = [&c](std::string_view name, std::int64_t fallback) -> std::optional<std::int64_t> {
    const auto text = c.request.query_param(name);
    if (!text) return fallback;
    const auto value = parse_int(*text);
    if (!value || *value < 1) return std::nullopt;
    return std::min(*value, max_datapoints);
  };
  const auto limit = number("limit", max_datapoints);
  const auto page = number("page", 1);
  const auto per_page = number("per_page", max_datapoints);
  if (!limit || !page || !per_page) return http_error{400, "limit, page and per_page are positive integers"};
  std::size_t first = 0;
  std::size_t count = points.size();
  if (c.request.query_param("page") || c.request.query_param("per_page")) {
    first = std::min(points.size(), static_cast<std::size_t>((*page - 1) * *per_page));
    count = std::min(points.size() - first, static_cast<std::size_t>(*per_page));
  } else if (points.size() > static_cast<std::size_t>(*limit)) {
    first = points.size() - static_cast<std::size_t>(*limit);
    count = static_cast<std::size_t>(*limit);
  }
  json list = json::array();
  for (std::size_t i = first; i < first + count; ++i) list.push_back(app_datapoint_json(points[i]));
  return json_response(200, list);
}

reply get_datapoints(request_context& c) {
  const auto device = device_by_dsn(c);
  if (!device) return device.error();
  const auto property = c.storage().properties().find_property(device->key, c.params.at(1));
  if (!property) return http_error{404, "Property not found"};
  return datapoints_of(c, *property);
}

reply get_datapoints_by_key(request_context& c) {
  const auto id = parse_int(c.params.at(0));
  const auto property = id ? c.storage().properties().find_property_by_id(*id) : store_error::not_found;
  if (!property) return http_error{404, "Property not found"};
  const auto device = owned_device(c.storage(), *c.user, c.storage().devices().find_device(property->device_key));
  if (!device) return http_error{404, "Property not found"};
  return datapoints_of(c, *property);
}

// Property triggers and device notifications, as far as the clients read them: ayla-iot-unofficial's
// Device.get_property_triggers keeps [{"trigger":{"key":...}}] by key, AylaApi.get_all_notifications returns the
// answer's "notification" member. ads-sim makes no triggers or notifications, so each list is empty once the device
// (and the property) is the user's; neither client creates one.
reply get_triggers(request_context& c) {
  const auto device = device_by_dsn(c);
  if (!device) return device.error();
  const auto properties = properties_of(c, *device);
  const auto same_name = [&c](const property_record& p) { return p.name == c.params.at(1); };
  if (std::none_of(properties.begin(), properties.end(), same_name)) return http_error{404, "Property not found"};
  return json_response(200, json::array());
}

reply get_notifications(request_context& c) {
  const auto device = device_by_key(c);
  if (!device) return device.error();
  return json_response(200, json{{"notification", json::array()}});
}

}  // namespace

void app_routes(router& r) {
  static constexpr route routes[] = {
      {"GET", "/apiv1/devices.json", audience::end_user, &get_devices},
      {"POST", "/apiv1/devices.json", audience::end_user, &post_device},
      {"GET", "/apiv1/devices/{}.json", audience::end_user, &get_device},
      {"DELETE", "/apiv1/devices/{}.json", audience::end_user, &delete_device},
      {"GET", "/apiv1/dsns/{}/properties.json", audience::end_user, &get_properties},
      {"GET", "/apiv1/dsns/{}/properties/{}.json", audience::end_user, &get_property},
      {"POST", "/apiv1/dsns/{}/properties/{}/datapoints.json", audience::end_user, &post_datapoint},
      {"GET", "/apiv1/dsns/{}/properties/{}/datapoints.json", audience::end_user, &get_datapoints},
      {"GET", "/apiv1/properties/{}/datapoints.json", audience::end_user, &get_datapoints_by_key},
      {"POST", "/apiv1/batch_datapoints.json", audience::end_user, &post_batch_datapoints},
      {"GET", "/apiv1/dsns/{}/properties/{}/triggers.json", audience::end_user, &get_triggers},
      {"GET", "/apiv1/devices/{}/notifications/all.json", audience::end_user, &get_notifications},
  };
  r.add(routes);
}

}  // namespace ads_sim
