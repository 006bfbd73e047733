// Device metadata on the application API (PROTOCOL.md §6.2a): key/value strings a user's apps keep on a device
// (Ayla's "data"), each as {"datum":{...}} — the shapes of Ayla's ayla-cloud-api.yaml (DatumRequest,
// DatumResponse). Only the device's user reaches them; any other device is 404, as an unknown one.
#include <algorithm>
#include <cctype>

#include "ads_sim/app_api_detail.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_state.hpp"

namespace ads_sim {

using nlohmann::json;

namespace {

// Keys are what a path segment holds as it is (letters, digits, '_', '-', '.'); neither limit is Ayla's.
constexpr std::size_t max_datum_key = 255;
constexpr std::size_t max_datum_value = 4096;

bool valid_datum_key(std::string_view key) {
  return !key.empty() && key.size() <= max_datum_key && std::all_of(key.begin(), key.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
  });
}

// DatumResponse: `from_template` is false, as ads-sim's templates hold no metadata.
json app_datum_json(const device_record& device, const device_datum& datum) {
  return json{{"datum",
               {{"key", datum.key},
                {"value", datum.value},
                {"dsn", device.dsn},
                {"from_template", false},
                {"created_at", app_time(datum.created_at)},
                {"updated_at", app_time(datum.updated_at)}}}};
}

// The body's datum.value, a string within bounds.
api_result<std::string> datum_value(const request_context& c) {
  const json* fields = object_field(c.body, "datum");
  const auto* value = fields ? string_field(*fields, "value") : nullptr;
  if (!value) return http_error{422, "datum.value must be a string"};
  if (value->size() > max_datum_value) return http_error{422, "datum.value: at most 4096 characters"};
  return *value;
}

api_result<device_record> path_device(request_context& c) { return user_device_by_dsn(c, c.params.at(0)); }

reply get_data(request_context& c) {
  const auto device = path_device(c);
  if (!device) return device.error();
  const auto keys = c.request.query_param("keys");
  json data = json::array();
  for (const auto& datum : c.storage().device_data().list_device_data(device->key))
    if (!keys || matches_key_pattern(*keys, datum.key)) data.push_back(app_datum_json(*device, datum));
  return json_response(200, data);
}

reply post_datum(request_context& c) {
  const auto device = path_device(c);
  if (!device) return device.error();
  const json* fields = object_field(c.body, "datum");
  const auto* key = fields ? string_field(*fields, "key") : nullptr;
  if (!key || !valid_datum_key(*key)) return http_error{422, "datum.key: 1..255 letters, digits, '_', '-', '.'"};
  const auto value = datum_value(c);
  if (!value) return value.error();
  const std::string at = iso8601(c.now);
  const device_datum datum{*key, *value, at, at};
  if (const auto stored = c.storage().device_data().insert_device_datum(device->key, datum); !stored)
    return stored.error() == store_error::exists ? http_error{422, "key has already been taken"}
                                                 : http_error{500, "cannot store the datum"};
  return json_response(201, app_datum_json(*device, datum));
}

reply get_datum(request_context& c) {
  const auto device = path_device(c);
  if (!device) return device.error();
  const auto datum = c.storage().device_data().find_device_datum(device->key, c.params.at(1));
  if (!datum) return http_error{404, "Datum not found"};
  return json_response(200, app_datum_json(*device, *datum));
}

// DatumRequest may name the key again; the path's is the one changed.
reply put_datum(request_context& c) {
  const auto device = path_device(c);
  if (!device) return device.error();
  const auto value = datum_value(c);
  if (!value) return value.error();
  auto& data = c.storage().device_data();
  if (const auto changed = data.update_device_datum(device->key, c.params.at(1), *value, iso8601(c.now)); !changed)
    return changed.error() == store_error::not_found ? http_error{404, "Datum not found"}
                                                     : http_error{500, "cannot store the datum"};
  const auto datum = data.find_device_datum(device->key, c.params.at(1));
  if (!datum) return http_error{500, "the datum vanished"};
  return json_response(200, app_datum_json(*device, *datum));
}

// Ayla's answer is 200 "Successfully Deleted", with nothing to parse.
reply delete_datum(request_context& c) {
  const auto device = path_device(c);
  if (!device) return device.error();
  if (const auto deleted = c.storage().device_data().delete_device_datum(device->key, c.params.at(1)); !deleted)
    return deleted.error() == store_error::not_found ? http_error{404, "Datum not found"}
                                                     : http_error{500, "cannot delete the datum"};
  return empty_response(200);
}

}  // namespace

bool matches_key_pattern(std::string_view pattern, std::string_view key) {
  const bool any_head = pattern.starts_with('%');
  const bool any_tail = pattern.size() > 1 && pattern.ends_with('%');
  std::string_view core = pattern;
  if (any_head) core.remove_prefix(1);
  if (any_tail) core.remove_suffix(1);
  if (any_head && any_tail) return key.find(core) != std::string_view::npos;
  if (any_head) return key.ends_with(core);
  if (any_tail) return key.starts_with(core);
  return key == core;
}

void app_data_routes(router& r) {
  static constexpr route routes[] = {
      {"GET", "/apiv1/dsns/{}/data.json", audience::end_user, &get_data},
      {"POST", "/apiv1/dsns/{}/data.json", audience::end_user, &post_datum},
      {"GET", "/apiv1/dsns/{}/data/{}.json", audience::end_user, &get_datum},
      {"PUT", "/apiv1/dsns/{}/data/{}.json", audience::end_user, &put_datum},
      {"DELETE", "/apiv1/dsns/{}/data/{}.json", audience::end_user, &delete_datum},
  };
  r.add(routes);
}

}  // namespace ads_sim
