// PROTOCOL.md's examples against the module's encoders: for each request the module sends, ads_client's encoder
// (device_protocol) given the example's inputs, signed by device_auth, must build the example's method, target,
// auth header and JSON body. An example the module does not send says so (`# not sent by the module:`).
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <regex>

#include "ads_client/base64.hpp"
#include "ads_client/device_auth.hpp"
#include "ads_client/device_protocol.hpp"
#include "protocol_examples.hpp"
#include "tests/contract/example_match.hpp"

namespace {

using nlohmann::json;
using contract::protocol_example;
namespace api = ads_client::device_api;

constexpr std::int64_t module_clock = 1'800'000'000;
const std::string token = "0123456789abcdef0123456789abcdef";

// The parts of an example's request an encoder takes as inputs.
struct example_request {
  std::smatch path;  // the route's captures
  std::string query;
  json body;

  std::int64_t number(std::size_t capture) const { return std::stoll(path[capture].str()); }
  std::string text(const json& object, const char* name) const { return object.value(name, std::string()); }
  std::optional<std::string> query_param(const std::string& name) const {
    const std::regex param("(^|&)" + name + "=([^&]*)");
    std::smatch found;
    if (!std::regex_search(query, found, param)) return std::nullopt;
    return found[2].str();
  }
};

struct encoder_route {
  std::string method;
  std::regex path;
  std::function<ads_client::http_request(const example_request&)> encode;
};

// What a host typed for a value: the module reads the AT text, so the encoder is fed text, not JSON.
std::string host_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// The module's device requests, one row per encoder, fed from the example's request.
const std::vector<encoder_route>& encoders() {
  static const std::vector<encoder_route> table = {
      {"GET", std::regex(R"(/dsns/([^/]+)\.json)"), [](const example_request& r) { return api::get_dsn(r.path[1].str()); }},
      {"PUT", std::regex(R"(/devices/([0-9]+)\.json)"),
       [](const example_request& r) {
         const json device = r.body.value("device", json::object());
         return api::put_device(r.number(1), r.text(device, "sw_version"), r.text(device, "oem"),
                                r.text(device, "oem_model"));
       }},
      {"PUT", std::regex(R"(/devices/([0-9]+)/oem_info\.json)"),
       [](const example_request& r) {
         return api::put_oem_info(r.number(1), r.text(r.body, "oem"), r.text(r.body, "oem_model"),
                                  r.text(r.body, "oem_key"), r.text(r.body, "template_version"));
       }},
      {"GET", std::regex(R"(/devices/([0-9]+)/commands\.json)"),
       [](const example_request& r) {
         return api::get_commands(r.number(1), std::stoi(r.query_param("poll").value_or("0")));
       }},
      {"POST", std::regex(R"(/devices/([0-9]+)/properties/([^/]+)/datapoints\.json)"),
       [](const example_request& r) {
         const json point = r.body.value("datapoint", json::object());
         const std::string type = r.text(point, "base_type");
         const auto value = api::value_from_text(type, host_text(point.value("value", json())));
         return api::post_datapoint(r.number(1), r.path[2].str(), type, value.value_or(json()),
                                    point.value("metadata", std::map<std::string, std::string>{}));
       }},
      {"GET", std::regex(R"(/devices/([0-9]+)/properties/([^/]+)\.json)"),
       [](const example_request& r) { return api::get_property(r.number(1), r.path[2].str()); }},
      {"POST", std::regex(R"(/provisions/([^/]+))"),
       [](const example_request& r) {
         return api::post_provision(r.path[1].str(), r.text(r.body, "oem_model"), r.text(r.body, "signature"));
       }},
      {"PUT", std::regex(R"(/devices/([0-9]+)(/commands/([0-9]+)\.json))"),
       [](const example_request& r) {
         // The command as the module got it from commands.json: its id and its uri below the device.
         const api::command cmd{r.number(3), "PUT", "ota.json", r.path[2].str(), json::object()};
         const int apca_status = r.query_param("status") == std::optional<std::string>("200") ? 0 : 1;
         return api::put_command_result(api::command_result_target(r.number(1), cmd), apca_status);
       }},
      {"PUT", std::regex(R"(/devices/([0-9]+)/ota_failed\.json)"),
       [](const example_request& r) {
         const json status = r.body.value("ota-status", json::object());
         return api::put_ota_failed(r.number(1), r.text(status, "type"), status.value("status", 0));
       }},
  };
  return table;
}

// A failed expectation names the example's line (Catch2 v2 has no CHECK_MESSAGE).
#define EXPECT(condition, message) \
  do {                             \
    INFO(message);                 \
    CHECK(condition);              \
  } while (false)

std::string where(int line) { return "PROTOCOL.md:" + std::to_string(line) + ": "; }

std::optional<std::string> header_of(const ads_client::http_request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers)
    if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return value;
  return std::nullopt;
}

void check_against_encoders(const protocol_example& example) {
  static const auto device_key = ads_client::rsa_key::generate(2048);
  const int at = example.request_line;
  contract::placeholder_values values;
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"<DSN>", "AC000W000000001"}, {"<key>", "12"}, {"<token>", token},
                                          {"<other key>", "13"}, {"<cmd id>", "7"}, {"<keyid>", "k3Yid0000000000a"},
                                          {"<oem_key>", "b2VtIGtleQ=="}, {"<oem_key with a wrong secret>", "d3Jvbmc="},
                                          {"<oem_key for model *>", "c3Rhcg=="}, {"<signature>", "c2lnbmVk"},
                                          {"<signature by another key>", "Zm9yZ2Vk"}, {"<client-auth>", "<client-auth>"}})
    values.set(name, value);
  const auto target = contract::fill(example.target, values);
  const auto body_text = contract::fill(example.request_body, values);
  if (!target.error.empty() || !body_text.error.empty())
    FAIL(where(at) << target.error << body_text.error << " (tests/contract/encoder_contract_test.cpp gives values)");

  const auto question = target.text.find('?');
  const std::string path = target.text.substr(0, question);
  example_request inputs;
  inputs.query = question == std::string::npos ? "" : target.text.substr(question + 1);
  inputs.body = body_text.text.empty() ? json::object() : json::parse(body_text.text);
  const encoder_route* route = nullptr;
  for (const auto& candidate : encoders()) {
    if (candidate.method == example.method && std::regex_match(path, inputs.path, candidate.path)) {
      route = &candidate;
      break;
    }
  }
  if (!route)
    FAIL(where(at) << "no encoder of the module sends " << example.method << " " << example.target
                   << "; if the module does not send it, say why with '# not sent by the module: <why>'");

  ads_client::http_request sent = route->encode(inputs);
  // Signed as the module signs: with the token once it has one, else with a client-auth.
  std::optional<std::string> auth_header;
  for (const auto& [name, value] : example.request_headers)
    if (name == "x-Ayla-auth-key" || name == "x-Ayla-client-auth") auth_header = std::string(name);
  if (auth_header) {
    ads_client::device_auth auth;
    auth.set_key(device_key);
    if (*auth_header == "x-Ayla-auth-key")
      auth.on_response(ads_client::http_response{200, {{"x-ayla-auth-key", token}}, {}}, module_clock);
    REQUIRE(auth.sign(sent, module_clock));
  }

  EXPECT(sent.method == std::string(example.method), where(at) << "the module sends " << sent.method);
  EXPECT(sent.target == target.text, where(at) << "the module's target is " << sent.target);
  for (const auto& [name, pattern] : example.request_headers) {
    const auto value = header_of(sent, name);
    if (name == "Content-Type") {
      // The transport (https_client) sets it on every request with a body.
      EXPECT(!sent.body.empty(), where(at) << "the module sends no body, so no Content-Type");
    } else if (!value) {
      FAIL_CHECK(where(at) << "the module's request has no " << name << " header");
    } else if (pattern == "Ayla1.0 <client-auth>") {
      // RSA padding is random: read the claim back with the device's private key.
      const auto cipher = value->rfind("Ayla1.0 ", 0) == 0 ? ads_client::base64_decode(value->substr(8)) : std::nullopt;
      const auto claim = cipher ? device_key.decrypt_pkcs1(*cipher) : std::nullopt;
      EXPECT(claim == std::to_string(module_clock) + " " + sent.method + " " + path,
                    where(at) << "the module's client-auth is " << *value);
    } else {
      const auto expected = contract::fill(pattern, values);
      EXPECT(*value == expected.text, where(at) << name << ": the module sends " << *value);
    }
  }
  const bool shows_content_type =
      std::any_of(example.request_headers.begin(), example.request_headers.end(),
                  [](const auto& header) { return header.first == "Content-Type"; });
  EXPECT((shows_content_type || sent.body.empty()),
                where(at) << "the module sends a body with Content-Type: application/json; the example shows none");
  if (!auth_header)
    for (const char* name : {"x-Ayla-auth-key", "x-Ayla-client-auth"})
      EXPECT(!header_of(sent, name), where(at) << "the module's encoder adds " << name);
  if (example.request_body.empty()) {
    EXPECT(sent.body.empty(), where(at) << "the module sends a body: " << sent.body);
  } else {
    const json module_body = json::parse(sent.body, nullptr, false);
    EXPECT(module_body == inputs.body, where(at) << "the module's body is " << sent.body);
  }
}

}  // namespace

#define CONTRACT_MODULE_CASE(index, title)                     \
  TEST_CASE(title, "[contract][module]") {                     \
    check_against_encoders(contract::protocol_examples[index]); \
  }
CONTRACT_MODULE_CASES(CONTRACT_MODULE_CASE)
