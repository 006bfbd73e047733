#pragma once
// The device requests of the Ayla-like device service (ads_sim/PROTOCOL.md §2), sans-I/O: builders that
// return HTTP requests and parsers that read responses. Authentication headers are added by device_auth.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_client/http_message.hpp"
#include "ads_client/rsa_key.hpp"

namespace ads_client::device_api {

// AT type letter (b i d s) <-> the protocol's base_type ("boolean", "integer", "decimal", "string").
std::optional<std::string> base_type_of(char at_type);
std::optional<char> at_type_of(std::string_view base_type);

// A host's AT value text as the JSON value of that base type ("1" -> 1, "21.5" -> 21.5, "abc" -> "abc");
// nullopt when the text is not a value of that type.
std::optional<nlohmann::json> value_from_text(std::string_view base_type, std::string_view text);
// A JSON value as the module prints it bare in +ADA lines: b and i as integers, d with two decimals (Ayla's
// decimals are fixed-point hundredths), s unquoted (the caller quotes it).
std::optional<std::string> value_to_text(std::string_view base_type, const nlohmann::json& value);

struct device_record {
  std::int64_t key = 0;
  std::string dsn;
  // The notifier (ANS): empty server or key when the service offers none.
  std::string ans_server;
  std::uint16_t ans_port = 55055;  // Ayla's agents always use 55055; ads-sim names its port
  std::string ans_cipher_key;      // base64 of 16 bytes, as the service sends it
};

struct property_update {
  std::string name;
  std::string base_type;
  nlohmann::json value;  // null when the property has no value yet
};

struct command {
  std::int64_t id = 0;
  std::string method;
  std::string resource;  // "ota.json"
  std::string uri;       // where its result is PUT, relative to /devices/<key>
  nlohmann::json data;
};

struct command_batch {
  std::vector<command> cmds;
  std::vector<property_update> properties;
  bool more = false;  // 206: ask again at once
};

struct provision_result {
  std::string dsn;
  std::string public_key;  // base64 SPKI body: what the module stores as id/key
  std::string oem_cipher;  // base64: the OEM key text sealed for this device
};

http_request get_dsn(std::string_view dsn);
http_request put_device(std::int64_t key, std::string_view sw_version, std::string_view oem,
                        std::string_view oem_model);
http_request put_oem_info(std::int64_t key, std::string_view oem, std::string_view oem_model,
                          std::string_view oem_key, std::string_view template_version);
// `polling`: 0 after an ANS event; 1 or 2 (ADA: ANS was up before, or never) when polling because ANS is down.
http_request get_commands(std::int64_t key, int polling);
http_request post_datapoint(std::int64_t key, std::string_view name, std::string_view base_type,
                            const nlohmann::json& value, const std::map<std::string, std::string>& metadata);
http_request get_property(std::int64_t key, std::string_view name);
// `signature_base64`: the claim (provisioning_claim) signed recoverably (rsa_key::sign_recoverable).
http_request post_provision(std::string_view key_id, std::string_view oem_model, std::string_view signature_base64);
// Where a command's result goes: "/devices/<key><uri>?cmd_id=<id>".
std::string command_result_target(std::int64_t key, const command& cmd);
// PUT <target>&status=<200 | 500>, no body; `status` is APCA's (0 = success).
http_request put_command_result(std::string_view target, int status);
// PUT /devices/<key>/ota_failed.json {"ota-status":{"status":<code>,"type":"module"|"host_mcu"}}.
http_request put_ota_failed(std::int64_t key, std::string_view type, int status);

// A string member of a JSON object from the service: its text; "" when absent (or `object` is no object);
// nullopt when present with another type, which makes the whole answer malformed (never an exception).
std::optional<std::string> string_member(const nlohmann::json& object, std::string_view key);

std::optional<device_record> parse_dsn(const http_response& response);
std::optional<command_batch> parse_commands(const http_response& response);
std::optional<property_update> parse_property(const http_response& response);
std::optional<provision_result> parse_provision(const http_response& response);
// The `error` text of a 4xx answer, or the status line's number when there is none.
std::string error_text(const http_response& response);

// oem_key = base64(RSA-PKCS1(device public key, "<unix secs> <oem secret> <oem id> <oem model>")).
std::optional<std::string> make_oem_key(const rsa_key& device_public_key, std::int64_t unix_seconds,
                                        std::string_view oem_secret, std::string_view oem_id,
                                        std::string_view oem_model);

// The text the in-field provisioning signature covers: "<oem id> <hwid> <key id> <rand>".
std::string provisioning_claim(std::string_view oem_id, std::string_view hwid, std::string_view key_id,
                               std::string_view rand);

}  // namespace ads_client::device_api
