// The device protocol (PROTOCOL.md §2): its route handlers and their rows. The router has authenticated the device.

#include <algorithm>
#include <iterator>

#include "ads_client/ans_packet.hpp"
#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

std::string ans_key_of(const device_record& device) {
  // Derived from the device's private key: stable across restarts, unknown to anyone without the database.
  const std::string digest = ads_client::sha256_hex("ads-sim ANS key " + device.private_key_pem);
  std::string key;
  for (std::size_t i = 0; i < ads_client::ans::key_length; ++i)
    key += static_cast<char>(std::stoi(digest.substr(2 * i, 2), nullptr, 16));
  return key;
}

namespace {

constexpr std::string_view wildcard_model = "*";

// The fields ADA's client.c (client_xml_dev_props) and devd's ds.h (DS_CLIENT_*) read from GET /dsns. ADA keeps
// `registered`, `registration_type` and `regtoken` (client_reg_flag, client_reg_type, client_reg_token) and shows
// the token for a user's app to register the device by; a registered device has none to show.
reply get_dsn(request_context& c) {
  const device_record& device = *c.device;
  const bool registered = c.storage().end_users().device_owner(device.key).has_value();
  json fields{{"key", device.key},
              {"dsn", device.dsn},
              {"oem", device.oem_id},
              {"oem_model", device.model},
              {"sw_version", device.fw_version},
              {"template_version", device.template_version},
              {"product_name", device.dsn},
              {"ans_server", c.state().endpoints.ans_host},
              {"ans_port", c.state().endpoints.ans_port},
              {"ans_cipher_key", ads_client::base64_encode(ans_key_of(device))},
              {"unix_time", unix_seconds(c.now)},
              {"registered", registered},
              {"registration_type", std::string(to_text(registration_type_of(c.storage(), device.key)))},
              {"hwsig", device.hwid ? json(*device.hwid) : json(nullptr)}};
  // A token that cannot be stored now is left out: the device asks again at its next GET /dsns.
  if (!registered)
    if (const auto token = registration_token_for(c.storage(), device.key, c.now)) fields["regtoken"] = token->token;
  return json_response(200, json{{"device", fields}});
}

reply put_device(request_context& c) {
  const json* fields = object_field(c.body, "device");
  if (!fields) return error_response(400, "body needs a \"device\" object");
  device_record device = *c.device;
  for (const char* name : {"sw_version", "oem", "oem_model", "hwid", "hwsig"})
    if (const json* field = member(*fields, name); field && !field->is_string())
      return error_response(400, std::string(name) + " must be a string");
  if (const auto* oem = string_field(*fields, "oem"); oem && *oem != device.oem_id)
    return error_response(403, "device belongs to another OEM");
  if (const auto* version = string_field(*fields, "sw_version")) device.fw_version = *version;
  if (const auto* model = string_field(*fields, "oem_model")) {
    if (!valid_name(*model, 64)) return error_response(422, "bad oem_model");
    device.model = *model;
  }
  // ADA and devd send the hardware id as `hwsig` (client.c client_gen_info_data, ds.h DS_CLIENT_HW_ID).
  const auto* hwid = string_field(*fields, "hwid");
  if (!hwid) hwid = string_field(*fields, "hwsig");
  if (hwid) {
    if (!printable_word(*hwid, 128)) return error_response(422, "bad hwid");
    device.hwid = *hwid;
  }
  if (const auto updated = c.storage().devices().update_device(device); !updated)
    return updated.error() == store_error::exists ? error_response(409, "hwid belongs to another device")
                                                  : error_response(500, "cannot store the device");
  // A module image downloaded (its command answered 2xx) has taken once the device reports its version.
  if (fields->contains("sw_version")) c.storage().ota().confirm_module_version(device.key, device.fw_version);
  return empty_response(204);
}

reply put_oem_info(request_context& c) {
  const auto* oem_id = string_field(c.body, "oem");
  const auto* oem_model = string_field(c.body, "oem_model");
  const auto* oem_key = string_field(c.body, "oem_key");
  if (!oem_id || !oem_model || !oem_key) return error_response(400, "oem, oem_model and oem_key are required strings");
  const json* template_version = member(c.body, "template_version");
  if (template_version && !template_version->is_string())
    return error_response(400, "template_version must be a string");
  device_record device = *c.device;
  const auto cipher = ads_client::base64_decode(*oem_key);
  const auto key = ads_client::rsa_key::from_pem(device.private_key_pem);
  const auto plain = cipher && key ? key->decrypt_pkcs1(*cipher) : std::nullopt;
  if (!plain) return error_response(400, "oem_key does not decrypt with this device's key");
  // "<time> <oem secret> <oem id> <oem model>"
  const auto fields = split_spaces(*plain);
  const auto oem = c.storage().oems().find_oem(*oem_id);
  // ADA's oem.c may make the key for the wildcard model "*": it then fits whatever model the body names.
  const bool model_fits = fields.size() == 4 && (fields[3] == *oem_model || fields[3] == wildcard_model);
  const bool matches = fields.size() == 4 && parse_int(fields[0]) && oem && oem->oem_id == device.oem_id &&
                       same_secret(fields[1], oem->secret) && fields[2] == *oem_id && model_fits;
  if (!matches) return error_response(403, "oem_key does not match");
  if (*oem_model != wildcard_model) {
    if (!valid_name(*oem_model, 64)) return error_response(422, "bad oem_model");
    device.model = *oem_model;
  }
  if (template_version) device.template_version = template_version->get_ref<const std::string&>();
  if (!c.storage().devices().update_device(device)) return error_response(500, "cannot store the device");
  const std::string by_dsn(to_text(registration_type::dsn));
  return json_response(200, json{{"product_name", device.dsn}, {"registration_type", by_dsn}});
}

json cmds_json(const std::vector<command_record>& cmds) {
  json list = json::array();
  // ADA (client.c client_cmd_data) keeps `data` as text and hands it to the resource's handler; `uri` is where the
  // result goes, relative to /devices/<key> (client_cmd_put_rsp drops its leading '/' and prefixes the device).
  for (const auto& cmd : cmds)
    list.push_back({{"cmd",
                     {{"id", cmd.id},
                      {"method", cmd.method},
                      {"resource", cmd.resource},
                      {"data", cmd.data_json},
                      {"uri", "/commands/" + std::to_string(cmd.id) + ".json"}}}});
  return list;
}

command_batch deliver(request_context& c, bool commands_only) {
  const std::int64_t key = c.device->key;
  const std::uint64_t connection = c.request.connection_id;
  // A command unknown here went out before a restart: on a connection that is gone too.
  std::vector<command_record> again;
  bool more_again = false;
  for (auto& cmd : c.storage().properties().unanswered_commands(key)) {
    const auto sent = c.state().delivered_on.find(cmd.id);
    if (sent != c.state().delivered_on.end() && sent->second == connection) continue;
    if (again.size() == max_batch) {
      more_again = true;
      break;
    }
    again.push_back(std::move(cmd));
  }
  const std::size_t room = max_batch - again.size();
  command_batch batch = commands_only ? c.storage().properties().take_queued_commands(key, room) : c.storage().properties().take_queued(key, room);
  batch.cmds.insert(batch.cmds.begin(), std::make_move_iterator(again.begin()), std::make_move_iterator(again.end()));
  batch.more = batch.more || more_again;
  for (const auto& cmd : batch.cmds) c.state().delivered_on[cmd.id] = connection;
  return batch;
}

reply get_commands(request_context& c) {
  // Answered at once, as Ayla's service does: push comes from ANS. `polling` (ADA: 1 or 2 while ANS is down),
  // `signal` (ADA), `echo` and the old long poll's `poll` are accepted and ignored.
  const std::int64_t key = c.device->key;
  // ?input=true (ADA's get_all after a restart): every to-device property's current value, not just changes.
  if (c.request.query_param("input") == std::optional<std::string>("true")) {
    const std::string now = iso8601(c.now);
    for (const auto& property : c.storage().properties().list_properties(key))
      if (property.dir == direction::to_device && property.value_json) c.storage().properties().queue_property(key, property.name, now);
  }
  const command_batch batch = deliver(c, false);
  if (lose_command_answer_now(c.state().faults, batch)) return drop_connection{};
  json properties = json::array();
  for (const auto& property : batch.properties) {
    json shown = property_json(property);
    shown.erase("direction");
    properties.push_back({{"property", std::move(shown)}});
  }
  return json_response(batch.more ? 206 : 200, json{{"commands",
                                                     {{"cmds", cmds_json(batch.cmds)},
                                                      {"properties", properties},
                                                      {"schedules", json::array()}}}});
}

reply get_cmds(request_context& c) {
  // Commands only: properties stay queued for the next commands.json.
  const command_batch batch = deliver(c, true);
  if (lose_command_answer_now(c.state().faults, batch)) return drop_connection{};
  return json_response(batch.more ? 206 : 200, json{{"cmds", cmds_json(batch.cmds)}});
}

reply put_command_status(request_context& c) {
  // ADA (client_cmd_put_rsp): PUT <uri>?cmd_id=<id>&status=<HTTP status>, no body; 2xx is success. The older
  // form, a body {"status":<integer>} with 0 for success, is still accepted.
  const auto id = parse_int(c.params.at(1));
  std::optional<bool> succeeded;
  if (const auto status_text = c.request.query_param("status")) {
    const auto status = parse_int(*status_text);
    if (!status) return error_response(400, "status must be an HTTP status");
    if (const auto cmd_id = c.request.query_param("cmd_id"); cmd_id && parse_int(*cmd_id) != id)
      return error_response(400, "cmd_id differs from the path");
    succeeded = *status >= 200 && *status < 300;
  } else if (const auto status = integer_field(c.body, "status")) {
    succeeded = *status == 0;
  }
  if (!succeeded) return error_response(400, "status is required (query ?status=<HTTP status>)");
  if (!id) return error_response(404, "unknown command");
  if (const auto set = c.storage().properties().set_command_status(c.device->key, *id, *succeeded ? 0 : 1); !set)
    return set.error() == store_error::not_found ? error_response(404, "unknown command")
                                                 : error_response(500, "cannot store the status");
  c.storage().ota().finish_ota_command(c.device->key, *id, *succeeded);
  c.state().delivered_on.erase(*id);
  return empty_response(204);
}

reply post_datapoint(request_context& c) {
  const std::string& name = c.params.at(1);
  if (!valid_name(name, 64)) return error_response(400, "bad property name");
  const json* datapoint = object_field(c.body, "datapoint");
  if (!datapoint) return error_response(400, "body needs a \"datapoint\" object");
  if (const json* named = member(*datapoint, "name"); named && (!named->is_string() || *named != name))
    return error_response(400, "datapoint name differs from the path");
  const auto* type_name = string_field(*datapoint, "base_type");
  const auto type = type_name ? from_text<base_type>(*type_name) : std::nullopt;
  if (!type) return error_response(400, "base_type must be boolean, integer, decimal or string");
  const json* given = member(*datapoint, "value");
  if (!given) return error_response(400, "value is required");
  json metadata = json::object();
  if (const json* given_metadata = member(*datapoint, "metadata")) {
    metadata = *given_metadata;
    const bool strings_only =
        metadata.is_object() && std::all_of(metadata.begin(), metadata.end(), [](const json& v) { return v.is_string(); });
    if (!strings_only) return error_response(400, "metadata must be an object of strings");
  }
  const auto entry = template_entry(c.storage(), *c.device, name);
  if (!entry) return entry.error();
  if (*entry && (*entry)->type != *type) return error_response(422, "base_type differs from the template's");
  const auto existing = c.storage().properties().find_property(c.device->key, name);
  if (existing && existing->type != *type) return error_response(422, "base_type differs from the property's");
  const auto value = normalised_value(*type, *given);
  if (!value) return error_response(422, "value does not fit base_type");

  property_record property = existing.value_or(property_record{});
  property.device_key = c.device->key;
  property.name = name;
  property.type = *type;
  if (!existing) property.dir = *entry ? (*entry)->dir : direction::from_device;
  property.value_json = value->dump();
  const std::string created_at = iso8601(c.now);
  if (!c.storage().properties().record_value(property, metadata.dump(), created_at)) return error_response(500, "cannot store");
  return json_response(201, json{{"datapoint", {{"value", *value}, {"metadata", metadata}, {"created_at", created_at}}}});
}

reply get_device_property(request_context& c) {
  const auto property = c.storage().properties().find_property(c.device->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  return json_response(200, json{{"property", property_json(*property)}});
}

reply post_provision(request_context& c) {
  const std::string& key_id = c.params.at(0);
  const auto provision_key = c.storage().oems().find_provision_key(key_id);
  if (!provision_key) return error_response(404, "unknown provision key");
  const auto* oem_model = string_field(c.body, "oem_model");
  const auto* signature = string_field(c.body, "signature");
  if (!oem_model || !signature) return error_response(400, "oem_model and signature are required strings");
  if (const json* oem = member(c.body, "oem"); oem && *oem != provision_key->oem_id)
    return error_response(403, "provision key belongs to another OEM");
  if (!valid_name(*oem_model, 64)) return error_response(400, "bad oem_model");
  const auto signature_bytes = ads_client::base64_decode(*signature);
  if (!signature_bytes) return error_response(400, "signature is not base64");
  const auto public_key = ads_client::rsa_key::from_pem(provision_key->public_key_pem);
  // The signature carries its own text, "<oem id> <hwid> <key id> <rand>": the service reads hwid and rand back
  // from it with the uploaded public key and checks the rest.
  const auto claim = public_key ? public_key->recover(*signature_bytes) : std::nullopt;
  const auto fields = claim ? split_spaces(*claim) : std::vector<std::string_view>{};
  if (fields.size() != 4 || fields[0] != provision_key->oem_id || fields[2] != key_id)
    return error_response(403, "bad signature");
  const std::string hwid(fields[1]);
  if (!printable_word(hwid, 128) || !printable_word(fields[3], 128)) return error_response(403, "bad signature");

  const auto oem = c.storage().oems().find_oem(provision_key->oem_id);
  if (!oem) return error_response(500, "the provision key's OEM is gone");
  auto device = c.storage().devices().find_device_by_hwid(provision_key->oem_id, hwid);
  const bool created = !device;
  if (created) {
    if (c.prepared.keys.empty()) return need_keys{1};
    device = new_device(c.storage(), provision_key->oem_id, *oem_model, hwid, c.prepared.keys.front(), c.now);
    if (device && !c.storage().oems().record_provisioned(device->key, key_id))
      return error_response(500, "cannot store the device");
  }
  if (!device) return error_response(500, "cannot store the device");
  // oem_cipher: the OEM's key text sealed for the new device, as a factory writes it (the device PUTs it back
  // as oem_key in oem_info.json).
  const auto device_key = ads_client::rsa_key::public_from_base64_body(device->public_key);
  const auto sealed = device_key ? device_key->encrypt_pkcs1(std::to_string(unix_seconds(c.now)) + " " + oem->secret +
                                                             " " + oem->oem_id + " " + *oem_model)
                                 : std::nullopt;
  if (!sealed) return error_response(500, "cannot seal the OEM key");
  return json_response(created ? 201 : 200, json{{"dsn", device->dsn},
                                                 {"public_key", device->public_key},
                                                 {"oem_cipher", ads_client::base64_encode(*sealed)}});
}

}  // namespace

void device_routes(router& r) {
  static constexpr route routes[] = {
      {"GET", "/dsns/{}.json", audience::device, &get_dsn},
      {"PUT", "/devices/{}.json", audience::device, &put_device},
      {"PUT", "/devices/{}/oem_info.json", audience::device, &put_oem_info},
      {"GET", "/devices/{}/commands.json", audience::device, &get_commands},
      {"GET", "/devices/{}/cmds.json", audience::device, &get_cmds},
      {"PUT", "/devices/{}/commands/{}.json", audience::device, &put_command_status},
      {"POST", "/devices/{}/properties/{}/datapoints.json", audience::device, &post_datapoint},
      {"GET", "/devices/{}/properties/{}.json", audience::device, &get_device_property},
      {"POST", "/provisions/{}", audience::anyone, &post_provision},
  };
  r.add(routes);
}

}  // namespace ads_sim
