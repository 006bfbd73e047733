#include "ads_client/device_protocol.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "ads_client/base64.hpp"

namespace ads_client::device_api {

using nlohmann::json;

namespace {

// Property names are [A-Za-z0-9_.-]; anything else is percent-encoded so a path can never be escaped.
std::string path_segment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

http_request json_request(std::string method, std::string target, const json& body) {
  // Host text is bytes, not necessarily UTF-8 (AT+ADA="s","n","s","\xe0"): invalid sequences become U+FFFD, so
  // the service refuses or stores a readable value instead of the encoder throwing out of the event loop.
  return http_request{std::move(method), std::move(target), {},
                      body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

std::optional<json> body_json(const http_response& response) {
  json parsed = json::parse(response.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

std::optional<property_update> read_property(const json& object) {
  if (!object.is_object() || !object.contains("name") || !object["name"].is_string() ||
      !object.contains("base_type") || !object["base_type"].is_string()) {
    return std::nullopt;
  }
  property_update update{object["name"].get<std::string>(), object["base_type"].get<std::string>(),
                         object.value("value", json())};
  if (!at_type_of(update.base_type)) return std::nullopt;
  return update;
}

template <class Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> base_type_of(char at_type) {
  switch (at_type) {
    case 'b': return "boolean";
    case 'i': return "integer";
    case 'd': return "decimal";
    case 's': return "string";
    default: return std::nullopt;
  }
}

std::optional<char> at_type_of(std::string_view base_type) {
  if (base_type == "boolean") return 'b';
  if (base_type == "integer") return 'i';
  if (base_type == "decimal") return 'd';
  if (base_type == "string") return 's';
  return std::nullopt;
}

std::optional<json> value_from_text(std::string_view base_type, std::string_view text) {
  if (base_type == "string") return json(std::string(text));
  if (base_type == "boolean") {
    if (text == "0") return json(0);
    if (text == "1") return json(1);
    return std::nullopt;
  }
  if (base_type == "integer") {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    auto value = parse_number<std::int64_t>(text);
    if (!value) return std::nullopt;
    return json(*value);
  }
  if (base_type == "decimal") {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    auto value = parse_number<double>(text);
    if (!value || !std::isfinite(*value)) return std::nullopt;
    return json(*value);
  }
  return std::nullopt;
}

std::optional<std::string> value_to_text(std::string_view base_type, const json& value) {
  if (base_type == "string") {
    if (!value.is_string()) return std::nullopt;
    return value.get<std::string>();
  }
  if (base_type == "boolean") {
    if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
    if (!value.is_number()) return std::nullopt;
    return value.get<double>() != 0 ? "1" : "0";
  }
  if (base_type == "integer") {
    if (!value.is_number()) return std::nullopt;
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    return std::to_string(static_cast<std::int64_t>(std::llround(value.get<double>())));
  }
  if (base_type == "decimal") {
    if (!value.is_number()) return std::nullopt;
    char text[64];
    std::snprintf(text, sizeof text, "%.2f", value.get<double>());
    return std::string(text);
  }
  return std::nullopt;
}

http_request get_dsn(std::string_view dsn) {
  return http_request{"GET", "/dsns/" + path_segment(dsn) + ".json", {}, {}};
}

http_request put_device(std::int64_t key, std::string_view sw_version, std::string_view oem,
                        std::string_view oem_model) {
  json device = {{"sw_version", sw_version}};
  if (!oem.empty()) device["oem"] = oem;
  if (!oem_model.empty()) device["oem_model"] = oem_model;
  return json_request("PUT", "/devices/" + std::to_string(key) + ".json", json{{"device", device}});
}

http_request put_oem_info(std::int64_t key, std::string_view oem, std::string_view oem_model,
                          std::string_view oem_key, std::string_view template_version) {
  json body = {{"oem", oem}, {"oem_model", oem_model}, {"oem_key", oem_key}};
  if (!template_version.empty()) body["template_version"] = template_version;
  return json_request("PUT", "/devices/" + std::to_string(key) + "/oem_info.json", body);
}

http_request get_commands(std::int64_t key, int polling) {
  std::string target = "/devices/" + std::to_string(key) + "/commands.json";
  if (polling > 0) target += "?polling=" + std::to_string(polling);
  return http_request{"GET", target, {}, {}};
}

http_request post_datapoint(std::int64_t key, std::string_view name, std::string_view base_type,
                            const json& value, const std::map<std::string, std::string>& metadata) {
  json datapoint = {{"name", name}, {"base_type", base_type}, {"value", value}};
  if (!metadata.empty()) datapoint["metadata"] = metadata;
  return json_request("POST",
                      "/devices/" + std::to_string(key) + "/properties/" + path_segment(name) + "/datapoints.json",
                      json{{"datapoint", datapoint}});
}

http_request get_property(std::int64_t key, std::string_view name) {
  return http_request{"GET", "/devices/" + std::to_string(key) + "/properties/" + path_segment(name) + ".json", {},
                      {}};
}

http_request post_provision(std::string_view key_id, std::string_view oem_model, std::string_view signature_base64) {
  return json_request("POST", "/provisions/" + path_segment(key_id),
                      json{{"oem_model", oem_model}, {"signature", signature_base64}});
}

std::string command_result_target(std::int64_t key, const command& cmd) {
  // ADA's client_cmd_put_rsp: the cmd's uri below the device, and the command id as an argument.
  std::string uri = cmd.uri;
  if (uri.rfind("/devices/", 0) != 0) uri = "/devices/" + std::to_string(key) + uri;
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "cmd_id=" + std::to_string(cmd.id);
}

http_request put_command_result(std::string_view target, int status) {
  // No body: the outcome is the HTTP status ADA reports, 200 for a download that completed, 500 otherwise.
  return http_request{"PUT", std::string(target) + "&status=" + (status == 0 ? "200" : "500"), {}, {}};
}

http_request put_ota_failed(std::int64_t key, std::string_view type, int status) {
  return json_request("PUT", "/devices/" + std::to_string(key) + "/ota_failed.json",
                      json{{"ota-status", {{"status", status}, {"type", type}}}});
}

std::optional<std::string> string_member(const json& object, std::string_view key) {
  if (!object.is_object()) return std::string();
  const auto found = object.find(key);
  if (found == object.end()) return std::string();
  if (!found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

std::optional<device_record> parse_dsn(const http_response& response) {
  auto body = body_json(response);
  if (response.status != 200 || !body || !body->contains("device")) return std::nullopt;
  const json& device = (*body)["device"];
  if (!device.is_object() || !device.contains("key") || !device["key"].is_number_integer()) return std::nullopt;
  auto dsn = string_member(device, "dsn");
  auto ans_server = string_member(device, "ans_server");
  auto ans_key = string_member(device, "ans_cipher_key");
  if (!dsn || !ans_server || !ans_key) return std::nullopt;
  device_record record{device["key"].get<std::int64_t>(), std::move(*dsn), std::move(*ans_server), 55055,
                       std::move(*ans_key)};
  if (device.contains("ans_port")) {
    const json& port = device["ans_port"];
    if (!port.is_number_integer() || port.get<std::int64_t>() < 1 || port.get<std::int64_t>() > 65535)
      return std::nullopt;
    record.ans_port = static_cast<std::uint16_t>(port.get<std::int64_t>());
  }
  return record;
}

std::optional<command_batch> parse_commands(const http_response& response) {
  auto body = body_json(response);
  if ((response.status != 200 && response.status != 206) || !body || !body->contains("commands")) {
    return std::nullopt;
  }
  const json& commands = (*body)["commands"];
  if (!commands.is_object()) return std::nullopt;
  const json properties = commands.value("properties", json::array());
  const json cmds = commands.value("cmds", json::array());
  if (!properties.is_array() || !cmds.is_array()) return std::nullopt;
  command_batch batch;
  batch.more = response.status == 206;
  for (const json& entry : properties) {
    if (!entry.is_object() || !entry.contains("property")) return std::nullopt;
    auto update = read_property(entry["property"]);
    if (!update) return std::nullopt;
    batch.properties.push_back(std::move(*update));
  }
  for (const json& entry : cmds) {
    if (!entry.is_object() || !entry.contains("cmd") || !entry["cmd"].is_object()) return std::nullopt;
    const json& cmd = entry["cmd"];
    if (!cmd.contains("id") || !cmd["id"].is_number_integer()) return std::nullopt;
    auto method = string_member(cmd, "method");
    auto resource = string_member(cmd, "resource");
    auto uri = string_member(cmd, "uri");
    if (!method || !resource || !uri) return std::nullopt;
    // `data` is JSON text (ADA hands it to the resource handler as a string); an object is read as it is.
    json data = cmd.value("data", json::object());
    if (data.is_string()) data = json::parse(data.get<std::string>(), nullptr, false);
    if (data.is_discarded()) return std::nullopt;
    batch.cmds.push_back(command{cmd["id"].get<std::int64_t>(), std::move(*method), std::move(*resource),
                                 std::move(*uri), std::move(data)});
  }
  return batch;
}

std::optional<property_update> parse_property(const http_response& response) {
  auto body = body_json(response);
  if (response.status != 200 || !body || !body->contains("property")) return std::nullopt;
  return read_property((*body)["property"]);
}

std::optional<provision_result> parse_provision(const http_response& response) {
  auto body = body_json(response);
  if ((response.status != 200 && response.status != 201) || !body) return std::nullopt;
  // ADA refuses an answer without oem_cipher, so do we.
  for (const char* field : {"dsn", "public_key", "oem_cipher"})
    if (!body->contains(field) || !(*body)[field].is_string()) return std::nullopt;
  return provision_result{(*body)["dsn"].get<std::string>(), (*body)["public_key"].get<std::string>(),
                          (*body)["oem_cipher"].get<std::string>()};
}

std::string error_text(const http_response& response) {
  auto body = body_json(response);
  if (body && body->contains("error") && (*body)["error"].is_string()) return (*body)["error"].get<std::string>();
  return "HTTP " + std::to_string(response.status);
}

std::optional<std::string> make_oem_key(const rsa_key& device_public_key, std::int64_t unix_seconds,
                                        std::string_view oem_secret, std::string_view oem_id,
                                        std::string_view oem_model) {
  const std::string claim = std::to_string(unix_seconds) + " " + std::string(oem_secret) + " " +
                            std::string(oem_id) + " " + std::string(oem_model);
  auto cipher = device_public_key.encrypt_pkcs1(claim);
  if (!cipher) return std::nullopt;
  return base64_encode(*cipher);
}

std::string provisioning_claim(std::string_view oem_id, std::string_view hwid, std::string_view key_id,
                               std::string_view rand) {
  return std::string(oem_id) + " " + std::string(hwid) + " " + std::string(key_id) + " " + std::string(rand);
}

}  // namespace ads_client::device_api
