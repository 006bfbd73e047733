// The admin API (PROTOCOL.md §3) for OEMs, provision keys, devices, properties and templates, and the app side's
// applications, end users and device owners (§6.3): its route handlers and their rows. The router has checked the admin token; the work is the core's in-process calls.
#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/identity_token.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

namespace {

reply admin_post_oem(request_context& c) {
  for (const char* name : {"oem_id", "name", "email"})
    if (const json* field = member(c.body, name); field && !field->is_string())
      return error_response(400, std::string(name) + " must be a string");
  const auto* name = string_field(c.body, "name");
  const auto* email = string_field(c.body, "email");
  if (!name || !email) return error_response(400, "name and email are required");
  const auto* oem_id = string_field(c.body, "oem_id");
  const auto created = c.core.create_oem(oem_id ? *oem_id : "", *name, *email, c.now);
  if (!created) return created.error();
  return json_response(201, json{{"oem_id", created->oem_id},
                                 {"name", created->name},
                                 {"email", created->email},
                                 {"oem_secret", created->secret}});
}

reply admin_list_oems(request_context& c) {
  json oems = json::array();
  for (const auto& oem : c.storage().oems().list_oems())
    oems.push_back({{"oem_id", oem.oem_id}, {"name", oem.name}, {"email", oem.email}});
  return json_response(200, json{{"oems", oems}});
}

reply admin_post_provision_key(request_context& c) {
  const auto* public_key = string_field(c.body, "public_key");
  if (!public_key) return error_response(400, "public_key is required");
  const auto added = c.core.add_provision_key(c.params.at(0), *public_key, c.now);
  if (!added) return added.error();
  return json_response(201, json{{"key_id", added->key_id}, {"oem_id", added->oem_id}});
}

reply admin_list_provision_keys(request_context& c) {
  if (!c.storage().oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  json keys = json::array();
  for (const auto& key : c.storage().oems().list_provision_keys(c.params.at(0)))
    keys.push_back({{"key_id", key.key_id}, {"oem_id", key.oem_id}, {"public_key", key.public_key_pem}});
  return json_response(200, json{{"provision_keys", keys}});
}

reply admin_post_devices(request_context& c) {
  const auto* model = string_field(c.body, "model");
  const auto count = integer_field(c.body, "count");
  if (!model || !count) return error_response(400, "model (string) and count (integer) are required");
  const std::int64_t wanted = *count;
  if (wanted < 1 || wanted > max_factory_devices) return error_response(400, "count: 1..100");
  // Checked before asking for keys: a request bound to fail never costs their generation.
  if (!c.storage().oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  if (!valid_name(*model, 64)) return error_response(400, "model: 1..64 of [A-Za-z0-9_.-]");
  if (c.prepared.keys.size() != static_cast<std::size_t>(wanted)) return need_keys{static_cast<int>(wanted)};
  const auto created = c.core.create_factory_devices(c.params.at(0), *model, std::move(c.prepared.keys), c.now);
  if (!created) return created.error();
  json devices = json::array();
  for (const auto& device : *created) devices.push_back({{"dsn", device.dsn}, {"public_key", device.public_key}});
  return json_response(201, json{{"devices", devices}});
}

reply admin_list_devices(request_context& c) {
  json devices = json::array();
  for (const auto& device : c.storage().devices().list_devices()) devices.push_back(c.core.device_json(device, c.now));
  return json_response(200, json{{"devices", devices}});
}

reply admin_get_device(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  return json_response(200, c.core.device_json(*device, c.now));
}

reply admin_get_auth_refusals(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto found = c.state().refusals.find(device->key);
  if (found == c.state().refusals.end()) return json_response(200, json{{"dsn", device->dsn}, {"count", 0}, {"last_reason", nullptr}});
  return json_response(200, json{{"dsn", device->dsn}, {"count", found->second.count}, {"last_reason", found->second.last_reason}});
}

reply admin_list_properties(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  json properties = json::array();
  for (const auto& property : c.storage().properties().list_properties(device->key)) properties.push_back(property_json(property));
  return json_response(200, json{{"properties", properties}});
}

reply admin_get_property(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto property = c.storage().properties().find_property(device->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  return json_response(200, property_json(*property));
}

reply admin_put_property(request_context& c) {
  const json* value = member(c.body, "value");
  if (!value) return error_response(400, "value is required");
  std::optional<std::string_view> type_name;
  if (member(c.body, "base_type")) {
    const auto* given = string_field(c.body, "base_type");
    if (!given) return error_response(400, "base_type must be a string");
    type_name = *given;
  }
  const auto set = c.core.set_to_device_property(c.params.at(0), c.params.at(1), *value, type_name, c.now);
  if (!set) return set.error();
  return json_response(200, property_json(*set));
}

reply admin_list_datapoints(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto property = c.storage().properties().find_property(device->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  json datapoints = json::array();
  for (const auto& point : c.storage().properties().list_datapoints(property->id))
    datapoints.push_back({{"value", parsed_or_null(point.value_json)},
                          {"metadata", parsed_or_null(point.metadata_json)},
                          {"created_at", point.created_at}});
  return json_response(200, json{{"datapoints", datapoints}});
}

json template_json(const std::vector<template_property>& list) {
  json properties = json::array();
  for (const auto& property : list)
    properties.push_back({{"name", property.name},
                          {"base_type", std::string(to_text(property.type))},
                          {"direction", std::string(to_text(property.dir))}});
  return json{{"properties", properties}};
}

reply admin_put_template(request_context& c) {
  const json* properties = member(c.body, "properties");
  const auto set = c.core.set_template(c.params.at(0), c.params.at(1), properties ? *properties : json());
  if (!set) return set.error();
  return json_response(200, template_json(*set));
}

reply admin_get_template(request_context& c) {
  if (!c.storage().oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  const auto list = c.storage().templates().find_template(c.params.at(0), c.params.at(1));
  if (!list) return error_response(404, "the model has no template");
  return json_response(200, template_json(*list));
}

// The secret is shown this once; the service keeps its SHA-256 only.
reply admin_post_application(request_context& c) {
  const auto made = create_application(c.storage(), c.params.at(0), text_or_empty(c.body, "name"), c.now);
  if (!made) return made.error();
  return json_response(201, json{{"app_id", made->app.app_id},
                                 {"app_secret", made->secret},
                                 {"name", made->app.name},
                                 {"oem_id", made->app.oem_id}});
}

reply admin_list_applications(request_context& c) {
  if (!c.storage().oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  json apps = json::array();
  for (const auto& app : c.storage().end_users().list_applications(c.params.at(0)))
    apps.push_back({{"app_id", app.app_id}, {"name", app.name}, {"oem_id", app.oem_id}});
  return json_response(200, json{{"applications", apps}});
}

json end_user_json(const end_user_record& user) {
  return json{{"uuid", user.uuid}, {"email", user.email}, {"oem_id", user.oem_id}, {"app_id", user.app_id}};
}

reply admin_post_user(request_context& c) {
  const std::string email = text_or_empty(c.body, "email");
  const std::string password = text_or_empty(c.body, "password");
  const auto app = c.storage().end_users().find_application(text_or_empty(c.body, "app_id"));
  if (!app) return error_response(404, "unknown application");
  if (!console::valid_email(email)) return error_response(400, "email: a printable address with an @");
  if (!console::valid_password(password)) return error_response(400, "password: 8..256 characters");
  if (c.storage().end_users().find_end_user_by_email(app->oem_id, email))
    return error_response(409, "the OEM has a user with that email");
  if (!c.prepared.password) return need_password{{password, "", console::auth_of(c).settings().kdf_iterations}};
  const auto user = create_end_user(c.storage(), *app, email, c.prepared.password->made_hash, c.now);
  if (!user) return user.error();
  return json_response(201, end_user_json(*user));
}

// What an app's identity provider would give the user's app after its own login: a token for token_sign_in.
reply admin_post_identity_token(request_context& c) {
  const auto token = identity_token_for(c.storage(), identity_signing_key(c.state().admin_token),
                                        text_or_empty(c.body, "app_id"), text_or_empty(c.body, "email"), c.now);
  if (!token) return token.error();
  return json_response(201, json{{"id_token", *token}, {"token_type", "Bearer"}, {"expires_in", identity_token_secs}});
}

// Registers the device to its OEM's end user with that email, as the user's app would.
reply admin_put_owner(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  const auto user = c.storage().end_users().find_end_user_by_email(device->oem_id, text_or_empty(c.body, "email"));
  if (!user) return error_response(404, "the device's OEM has no user with that email");
  if (c.storage().end_users().device_owner(device->key)) return error_response(409, "the device has an owner");
  const auto registered = register_device(c.storage(), *user, device->dsn, c.now);
  if (!registered) return registered.error();
  return json_response(200, json{{"dsn", device->dsn}, {"owner", end_user_json(*user)}});
}

// The registration token the device shows (what a person reads off it and types into an app); 409 once the device
// has an owner, since it shows none then.
reply admin_get_registration_token(request_context& c) {
  const auto device = c.storage().devices().find_device_by_dsn(c.params.at(0));
  if (!device) return error_response(404, "unknown device");
  if (c.storage().end_users().device_owner(device->key)) return error_response(409, "the device has an owner");
  const auto token = registration_token_for(c.storage(), device->key, c.now);
  if (!token) return token.error();
  return json_response(200, json{{"dsn", device->dsn},
                                 {"regtoken", token->token},
                                 {"expires_at", iso8601(clock_time(std::chrono::seconds(token->expires_at)))}});
}

}  // namespace

void admin_routes(router& r) {
  static constexpr route routes[] = {
      {"POST", "/api/v1/oems", audience::admin, &admin_post_oem},
      {"GET", "/api/v1/oems", audience::admin, &admin_list_oems},
      {"POST", "/api/v1/oems/{}/provision_keys", audience::admin, &admin_post_provision_key},
      {"GET", "/api/v1/oems/{}/provision_keys", audience::admin, &admin_list_provision_keys},
      {"POST", "/api/v1/oems/{}/devices", audience::admin, &admin_post_devices},
      {"GET", "/api/v1/devices", audience::admin, &admin_list_devices},
      {"GET", "/api/v1/devices/{}", audience::admin, &admin_get_device},
      {"GET", "/api/v1/devices/{}/auth_refusals", audience::admin, &admin_get_auth_refusals},
      {"GET", "/api/v1/devices/{}/properties", audience::admin, &admin_list_properties},
      {"GET", "/api/v1/devices/{}/properties/{}", audience::admin, &admin_get_property},
      {"PUT", "/api/v1/devices/{}/properties/{}", audience::admin, &admin_put_property},
      {"GET", "/api/v1/devices/{}/properties/{}/datapoints", audience::admin, &admin_list_datapoints},
      {"PUT", "/api/v1/oems/{}/models/{}/template", audience::admin, &admin_put_template},
      {"GET", "/api/v1/oems/{}/models/{}/template", audience::admin, &admin_get_template},
      {"POST", "/api/v1/oems/{}/applications", audience::admin, &admin_post_application},
      {"GET", "/api/v1/oems/{}/applications", audience::admin, &admin_list_applications},
      {"POST", "/api/v1/users", audience::admin, &admin_post_user},
      {"PUT", "/api/v1/devices/{}/owner", audience::admin, &admin_put_owner},
      {"GET", "/api/v1/devices/{}/registration_token", audience::admin, &admin_get_registration_token},
      {"POST", "/api/v1/identity_tokens", audience::admin, &admin_post_identity_token},
  };
  r.add(routes);
}

}  // namespace ads_sim
