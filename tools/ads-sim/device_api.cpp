// The device protocol's route handlers (PROTOCOL.md §2). Authentication already happened in service_core::handle.
#include <openssl/crypto.h>

#include <algorithm>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "tools/ads-sim/service_core_detail.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

namespace {

// Constant-time, so the answer's timing says nothing about how much of a guessed secret was right.
bool same_secret(std::string_view given, std::string_view secret) {
  return given.size() == secret.size() && CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

}  // namespace

outcome service_core::get_dsn(call& c) {
  const device_record& device = *c.device;
  return json_response(200, json{{"device",
                                  {{"key", device.key},
                                   {"dsn", device.dsn},
                                   {"oem", device.oem_id},
                                   {"oem_model", device.model},
                                   {"sw_version", device.fw_version},
                                   {"template_version", device.template_version}}}});
}

outcome service_core::put_device(call& c) {
  const auto fields = c.body.find("device");
  if (fields == c.body.end() || !fields->is_object()) return error_response(400, "body needs a \"device\" object");
  device_record device = *c.device;
  for (const char* name : {"sw_version", "oem", "oem_model", "hwid"})
    if (fields->contains(name) && !fields->at(name).is_string())
      return error_response(400, std::string(name) + " must be a string");
  if (const auto* oem = string_field(*fields, "oem"); oem && *oem != device.oem_id)
    return error_response(403, "device belongs to another OEM");
  if (const auto* version = string_field(*fields, "sw_version")) device.fw_version = *version;
  if (const auto* model = string_field(*fields, "oem_model")) {
    if (!valid_name(*model, 64)) return error_response(422, "bad oem_model");
    device.model = *model;
  }
  if (const auto* hwid = string_field(*fields, "hwid")) {
    if (!printable_word(*hwid, 128)) return error_response(422, "bad hwid");
    device.hwid = *hwid;
  }
  if (!store_.update_device(device)) return error_response(409, "hwid belongs to another device");
  return empty_response(204);
}

outcome service_core::put_oem_info(call& c) {
  const auto* oem_id = string_field(c.body, "oem");
  const auto* oem_model = string_field(c.body, "oem_model");
  const auto* oem_key = string_field(c.body, "oem_key");
  if (!oem_id || !oem_model || !oem_key) return error_response(400, "oem, oem_model and oem_key are required strings");
  const bool has_template = c.body.contains("template_version");
  if (has_template && !c.body["template_version"].is_string())
    return error_response(400, "template_version must be a string");
  device_record device = *c.device;
  const auto cipher = ads_client::base64_decode(*oem_key);
  const auto key = ads_client::rsa_key::from_pem(device.private_key_pem);
  const auto plain = cipher && key ? key->decrypt_pkcs1(*cipher) : std::nullopt;
  if (!plain) return error_response(400, "oem_key does not decrypt with this device's key");
  // "<time> <oem secret> <oem id> <oem model>"
  const auto fields = split_spaces(*plain);
  const auto oem = store_.find_oem(*oem_id);
  const bool matches = fields.size() == 4 && parse_int(fields[0]) && oem && oem->oem_id == device.oem_id &&
                       same_secret(fields[1], oem->secret) && fields[2] == *oem_id && fields[3] == *oem_model;
  if (!matches) return error_response(403, "oem_key does not match");
  if (!valid_name(*oem_model, 64)) return error_response(422, "bad oem_model");
  device.model = *oem_model;
  if (has_template) device.template_version = c.body["template_version"].get<std::string>();
  if (!store_.update_device(device)) return error_response(500, "cannot store the device");
  return empty_response(204);
}

outcome service_core::get_commands(call& c) {
  std::int64_t poll = 0;
  if (const auto text = c.request.query_param("poll")) {
    const auto secs = parse_int(*text);
    if (!secs || *secs < 0) return error_response(400, "poll must be a number of seconds");
    poll = std::min(*secs, max_poll_secs);
  }
  const std::int64_t key = c.device->key;
  if (!store_.has_queued(key) && poll > 0 && c.may_hold) return hold_poll{key, std::chrono::seconds(poll)};

  const command_batch batch = store_.take_queued(key, max_batch);
  json cmds = json::array();
  for (const auto& cmd : batch.cmds)
    cmds.push_back({{"cmd",
                     {{"id", cmd.id},
                      {"method", cmd.method},
                      {"resource", cmd.resource},
                      {"data", parsed_or_null(cmd.data_json)},
                      {"uri", "/devices/" + std::to_string(key) + "/commands/" + std::to_string(cmd.id) + ".json"}}}});
  json properties = json::array();
  for (const auto& property : batch.properties) {
    json shown = property_json(property);
    shown.erase("direction");
    properties.push_back({{"property", std::move(shown)}});
  }
  return json_response(batch.more ? 206 : 200, json{{"commands", {{"cmds", cmds}, {"properties", properties}}}});
}

outcome service_core::put_command_status(call& c) {
  const auto id = parse_int(c.params.at(1));
  const auto status = c.body.find("status");
  if (status == c.body.end() || !status->is_number_integer()) return error_response(400, "status must be an integer");
  if (!id || !store_.set_command_status(c.device->key, *id, status->get<std::int64_t>()))
    return error_response(404, "unknown command");
  store_.finish_ota_command(c.device->key, *id, status->get<std::int64_t>() == 0);
  return empty_response(204);
}

outcome service_core::post_datapoint(call& c) {
  const std::string& name = c.params.at(1);
  if (!valid_name(name, 64)) return error_response(400, "bad property name");
  const auto datapoint = c.body.find("datapoint");
  if (datapoint == c.body.end() || !datapoint->is_object())
    return error_response(400, "body needs a \"datapoint\" object");
  if (datapoint->contains("name") && (!datapoint->at("name").is_string() || datapoint->at("name") != name))
    return error_response(400, "datapoint name differs from the path");
  const auto* type_name = string_field(*datapoint, "base_type");
  const auto type = type_name ? parse_base_type(*type_name) : std::nullopt;
  if (!type) return error_response(400, "base_type must be boolean, integer, decimal or string");
  if (!datapoint->contains("value")) return error_response(400, "value is required");
  json metadata = json::object();
  if (datapoint->contains("metadata")) {
    metadata = datapoint->at("metadata");
    const bool strings_only =
        metadata.is_object() && std::all_of(metadata.begin(), metadata.end(), [](const json& v) { return v.is_string(); });
    if (!strings_only) return error_response(400, "metadata must be an object of strings");
  }
  auto existing = store_.find_property(c.device->key, name);
  if (existing && existing->type != *type) return error_response(422, "base_type differs from the property's");
  const auto value = normalised_value(*type, datapoint->at("value"));
  if (!value) return error_response(422, "value does not fit base_type");

  property_record property = existing.value_or(property_record{});
  property.device_key = c.device->key;
  property.name = name;
  property.type = *type;
  if (!existing) property.dir = direction::from_device;
  property.value_json = value->dump();
  const std::string created_at = iso8601(c.now);
  if (!store_.record_value(property, metadata.dump(), created_at)) return error_response(500, "cannot store");
  return json_response(201, json{{"datapoint", {{"value", *value}, {"metadata", metadata}, {"created_at", created_at}}}});
}

outcome service_core::get_device_property(call& c) {
  const auto property = store_.find_property(c.device->key, c.params.at(1));
  if (!property) return error_response(404, "unknown property");
  return json_response(200, json{{"property", property_json(*property)}});
}

outcome service_core::post_provision(call& c) {
  const std::string& key_id = c.params.at(0);
  const auto provision_key = store_.find_provision_key(key_id);
  if (!provision_key) return error_response(404, "unknown provision key");
  const auto* oem_model = string_field(c.body, "oem_model");
  const auto* hwid = string_field(c.body, "hwid");
  const auto* rand = string_field(c.body, "rand");
  const auto* signature = string_field(c.body, "signature");
  if (!oem_model || !hwid || !rand || !signature)
    return error_response(400, "oem_model, hwid, rand and signature are required strings");
  if (c.body.contains("oem") && c.body["oem"] != provision_key->oem_id)
    return error_response(403, "provision key belongs to another OEM");
  if (!valid_name(*oem_model, 64) || !printable_word(*hwid, 128) || !printable_word(*rand, 128))
    return error_response(400, "bad oem_model, hwid or rand");
  const auto signature_bytes = ads_client::base64_decode(*signature);
  if (!signature_bytes) return error_response(400, "signature is not base64");
  const auto public_key = ads_client::rsa_key::from_pem(provision_key->public_key_pem);
  const std::string signed_text = provision_key->oem_id + " " + *hwid + " " + key_id + " " + *rand;
  if (!public_key || !public_key->verify_sha256(signed_text, *signature_bytes))
    return error_response(403, "bad signature");

  if (const auto known = store_.find_device_by_hwid(provision_key->oem_id, *hwid))
    return json_response(200, json{{"dsn", known->dsn}, {"public_key", known->public_key}});
  if (c.prepared.keys.empty()) return need_keys{1};
  const auto device = new_device(provision_key->oem_id, *oem_model, *hwid, c.prepared.keys.front(), c.now);
  if (!device) return error_response(500, "cannot store the device");
  return json_response(201, json{{"dsn", device->dsn}, {"public_key", device->public_key}});
}

}  // namespace ads_sim
