#include "ads_sim/service_core.hpp"

#include <openssl/crypto.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <utility>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/ans_core.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/store/sqlite_store.hpp"
#include "common/hex.hpp"
#include "common/random_bytes.hpp"

namespace ads_sim {

using nlohmann::json;

std::string iso8601(clock_time time) {
  const auto since_epoch = time.time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
  const std::time_t t = static_cast<std::time_t>(secs.count());
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

std::int64_t unix_seconds(clock_time time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::string random_hex(std::size_t bytes) {
  return common::to_hex(common::random_bytes(bytes));
}

std::vector<ads_client::rsa_key> fresh_keys(int count, const std::atomic<bool>* give_up) {
  std::vector<ads_client::rsa_key> keys;
  for (int i = 0; i < count && !(give_up && *give_up); ++i) keys.push_back(ads_client::rsa_key::generate(2048));
  return keys;
}

std::optional<json> normalised_value(base_type type, const json& value) {
  switch (type) {
    case base_type::boolean:
      if (value.is_boolean()) return json(value.get<bool>() ? 1 : 0);
      if (value.is_number_integer() && (value == 0 || value == 1)) return json(value.get<int>());
      return std::nullopt;
    case base_type::integer:
      if (value.is_number_integer()) {
        if (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX) return std::nullopt;
        return json(value.get<std::int64_t>());
      }
      return std::nullopt;
    case base_type::decimal:
      if (value.is_number_integer()) return normalised_value(base_type::integer, value);
      if (value.is_number_float() && std::isfinite(value.get<double>())) return value;
      return std::nullopt;
    case base_type::string:
      if (value.is_string() && value.get_ref<const std::string&>().size() <= max_string_value) return value;
      return std::nullopt;
  }
  return std::nullopt;
}

namespace detail {

std::optional<std::vector<std::string>> match_path(std::string_view pattern, std::string_view path) {
  std::vector<std::string> captures;
  auto next_segment = [](std::string_view& rest) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    return segment;
  };
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return std::nullopt;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  while (!pattern.empty() && !path.empty()) {
    const std::string_view want = next_segment(pattern);
    const std::string_view have = next_segment(path);
    if (have.empty()) return std::nullopt;
    if (want.substr(0, 2) == "{}") {
      const std::string_view suffix = want.substr(2);
      if (have.size() <= suffix.size() || have.substr(have.size() - suffix.size()) != suffix) return std::nullopt;
      captures.emplace_back(have.substr(0, have.size() - suffix.size()));
    } else if (want != have) {
      return std::nullopt;
    }
  }
  if (!pattern.empty() || !path.empty()) return std::nullopt;
  return captures;
}

bool valid_name(std::string_view name, std::size_t max) {
  if (name.empty() || name.size() > max) return false;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                    ch == '-' || ch == '.';
    if (!ok) return false;
  }
  return true;
}

bool printable_word(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char ch : text)
    if (ch <= ' ' || ch > '~') return false;
  return true;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto space = text.find(' ', start);
    fields.push_back(text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return fields;
}

const std::string* string_field(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

bool is_json_content_type(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string_view type = content_type->substr(0, content_type->find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return iequals(type, "application/json");
}

json parsed_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  json value = json::parse(*text, nullptr, false);
  return value.is_discarded() ? json(nullptr) : value;
}

json property_json(const property_record& property) {
  return json{{"name", property.name},
              {"base_type", std::string(to_text(property.type))},
              {"direction", std::string(to_text(property.dir))},
              {"value", parsed_or_null(property.value_json)},
              {"data_updated_at", property.updated_at ? json(*property.updated_at) : json(nullptr)}};
}

bool same_secret(std::string_view given, std::string_view secret) {
  return given.size() == secret.size() && CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

}  // namespace detail

using namespace detail;

namespace {

// The store in `file`, and why it could not be opened (then no store).
std::pair<std::unique_ptr<store>, std::string> open_store(const std::filesystem::path& file) {
  auto opened = open_sqlite_store(file);
  if (!opened) return {nullptr, std::move(opened).error()};
  return {std::move(opened).value(), std::string()};
}

}  // namespace

service_core::service_core(const std::filesystem::path& database_file, std::string admin_token)
    : service_core(open_store(database_file), std::move(admin_token)) {}

service_core::service_core(std::unique_ptr<store> storage, std::string admin_token)
    : service_core(std::pair{std::move(storage), std::string()}, std::move(admin_token)) {}

service_core::service_core(std::pair<std::unique_ptr<store>, std::string> opened, std::string admin_token)
    : store_(std::move(opened.first)),
      open_error_(std::move(opened.second)),
      console_(*this),
      admin_token_(std::move(admin_token)) {}

service_core::~service_core() = default;

const std::vector<service_core::route>& service_core::routes() {
  static const std::vector<route> table = {
      // Device protocol (PROTOCOL.md §2).
      {"GET", "/dsns/{}.json", access::device, &service_core::get_dsn},
      {"PUT", "/devices/{}.json", access::device, &service_core::put_device},
      {"PUT", "/devices/{}/oem_info.json", access::device, &service_core::put_oem_info},
      {"GET", "/devices/{}/commands.json", access::device, &service_core::get_commands},
      {"GET", "/devices/{}/cmds.json", access::device, &service_core::get_cmds},
      {"PUT", "/devices/{}/commands/{}.json", access::device, &service_core::put_command_status},
      {"POST", "/devices/{}/properties/{}/datapoints.json", access::device, &service_core::post_datapoint},
      {"GET", "/devices/{}/properties/{}.json", access::device, &service_core::get_device_property},
      {"POST", "/provisions/{}", access::open, &service_core::post_provision},
      {"GET", "/devices/{}/images/{}.bin", access::device, &service_core::get_image},
      {"GET", "/devices/{}/images/{}/location.json", access::device, &service_core::get_ota_location},
      {"GET", "/images/{}/{}.bin", access::open, &service_core::get_hosted_image},
      {"PUT", "/devices/{}/ota_failed.json", access::device, &service_core::put_ota_failed},
      // Admin API (PROTOCOL.md §3).
      {"POST", "/api/v1/oems", access::admin, &service_core::admin_post_oem},
      {"GET", "/api/v1/oems", access::admin, &service_core::admin_list_oems},
      {"POST", "/api/v1/oems/{}/provision_keys", access::admin, &service_core::admin_post_provision_key},
      {"GET", "/api/v1/oems/{}/provision_keys", access::admin, &service_core::admin_list_provision_keys},
      {"POST", "/api/v1/oems/{}/devices", access::admin, &service_core::admin_post_devices},
      {"GET", "/api/v1/devices", access::admin, &service_core::admin_list_devices},
      {"GET", "/api/v1/devices/{}", access::admin, &service_core::admin_get_device},
      {"GET", "/api/v1/devices/{}/auth_refusals", access::admin, &service_core::admin_get_auth_refusals},
      {"GET", "/api/v1/devices/{}/properties", access::admin, &service_core::admin_list_properties},
      {"GET", "/api/v1/devices/{}/properties/{}", access::admin, &service_core::admin_get_property},
      {"PUT", "/api/v1/devices/{}/properties/{}", access::admin, &service_core::admin_put_property},
      {"GET", "/api/v1/devices/{}/properties/{}/datapoints", access::admin, &service_core::admin_list_datapoints},
      {"POST", "/api/v1/images", access::admin, &service_core::admin_post_image},
      {"GET", "/api/v1/images", access::admin, &service_core::admin_list_images},
      {"POST", "/api/v1/ota_jobs", access::admin, &service_core::admin_post_ota_job},
      {"GET", "/api/v1/ota_jobs", access::admin, &service_core::admin_list_ota_jobs},
      {"GET", "/api/v1/ota_jobs/{}", access::admin, &service_core::admin_get_ota_job},
      {"POST", "/api/v1/ota_jobs/{}/start", access::admin, &service_core::admin_start_ota_job},
      {"PUT", "/api/v1/oems/{}/models/{}/template", access::admin, &service_core::admin_put_template},
      {"GET", "/api/v1/oems/{}/models/{}/template", access::admin, &service_core::admin_get_template},
      {"GET", "/api/v1/faults", access::admin, &service_core::admin_get_faults},
      {"POST", "/api/v1/faults", access::admin, &service_core::admin_post_faults},
      {"DELETE", "/api/v1/faults", access::admin, &service_core::admin_delete_faults},
  };
  return table;
}

outcome service_core::handle(const http_request& request, clock_time now, prepared_inputs prepared) {
  outcome result = [&]() -> outcome {
    if (console::console_api::serves(request.path())) {
      auto answer = console_.handle(request, now, prepared.password);
      if (auto* work = std::get_if<console::password_work>(&answer)) return need_password{std::move(*work)};
      return std::get<http_response>(std::move(answer));
    }
    auto match = find_route(routes(), request.method, request.path());
    const route* found = match.route;
    if (!found)
      return match.path_known ? error_response(405, "method not allowed") : error_response(404, "unknown path");

    call c{request, now, std::move(match.params), std::nullopt, {}, json::object(), std::move(prepared)};
    if (found->who == access::admin && !admin_authorized(request))
      return error_response(401, "missing or wrong admin token");
    // A body must be JSON; an empty one (POST .../start) reads as {}.
    if ((request.method == "POST" || request.method == "PUT") && !request.body.empty()) {
      if (!is_json_content_type(request.header("Content-Type")))
        return error_response(415, "content type must be application/json");
      c.body = json::parse(request.body, nullptr, false);
      if (c.body.is_discarded() || !c.body.is_object()) return error_response(400, "body is not a JSON object");
    }
    if (found->who == access::device)
      if (auto refused = authenticate_device(c)) return std::move(*refused);
    try {
      outcome answer = (this->*(found->run))(c);
      if (auto* response = std::get_if<http_response>(&answer))
        for (auto& [name, value] : c.extra_headers) response->set_header(name, value);
      return answer;
    } catch (const std::exception&) {
      // A handler met JSON it did not expect; the request is at fault, never the service.
      return error_response(400, "malformed request");
    }
  }();
  if (auto* response = std::get_if<http_response>(&result))
    response->set_header("x-Ayla-server-time", std::to_string(unix_seconds(now)));
  return result;
}

bool service_core::admin_authorized(const http_request& request) const {
  const auto header = request.header("Authorization");
  constexpr std::string_view bearer = "Bearer ";
  if (!header || header->size() <= bearer.size() || !iequals(header->substr(0, bearer.size()), bearer)) return false;
  const std::string_view token = header->substr(bearer.size());
  return same_secret(token, admin_token_);
}

store_result<device_record> service_core::device_named_by(const call& c) {
  if (c.request.path().substr(0, 6) == "/dsns/") return store_->devices().find_device_by_dsn(c.params.at(0));
  const auto key = parse_int(c.params.at(0));
  if (!key) return store_error::not_found;
  return store_->devices().find_device(*key);
}

std::optional<http_response> service_core::authenticate_device(call& c) {
  auto device = device_named_by(c);
  const std::int64_t now = unix_seconds(c.now);
  constexpr std::string_view scheme = "Ayla1.0 ";
  // A 401 for a device the path names is counted, with its reason, for the admin API.
  const auto refuse = [&](std::string_view why) {
    if (device) {
      auto& refusals = auth_refusals_[device->key];
      ++refusals.count;
      refusals.last_reason = why;
    }
    return error_response(401, why);
  };
  if (const auto client_auth = c.request.header("x-Ayla-client-auth")) {
    if (!device) return error_response(401, "unknown device");
    if (client_auth->substr(0, scheme.size()) != scheme) return refuse("client auth must be Ayla1.0");
    const auto cipher = ads_client::base64_decode(client_auth->substr(scheme.size()));
    const auto key = ads_client::rsa_key::from_pem(device->private_key_pem);
    const auto plain = cipher && key ? key->decrypt_pkcs1(*cipher) : std::nullopt;
    if (!plain) return refuse("client auth does not decrypt");
    // devd ends the text with a newline (ds_client.c), ADA does not (client_auth.c): accept both.
    std::string_view text = *plain;
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    const auto fields = split_spaces(text);
    const auto secs = fields.size() == 3 ? parse_int(fields[0]) : std::nullopt;
    if (!secs) return refuse("client auth is not \"<time> <method> <path>\"");
    if (*secs < now - client_auth_window_secs || *secs > now + client_auth_window_secs)
      return refuse("client auth time is off");
    if (fields[1] != c.request.method || fields[2] != c.request.path()) return refuse("client auth names another request");
    const std::string token = random_hex(16);
    store_->devices().insert_token(ads_client::sha256_hex(token), device->key, now + token_lifetime_secs);
    c.extra_headers.emplace_back("x-Ayla-auth-key", token);
  } else if (auto token = c.request.header("x-Ayla-auth-key")) {
    if (token->substr(0, scheme.size()) == scheme) token->remove_prefix(scheme.size());
    const auto owner = store_->devices().find_token(ads_client::sha256_hex(*token), now);
    if (!owner) return refuse("unknown or expired token");
    if (!device || device->key != *owner) return error_response(403, "token belongs to another device");
  } else {
    return refuse("missing x-Ayla-auth-key");
  }
  store_->devices().set_last_seen(device->key, now);
  device->last_seen = now;
  if (c.request.connection_id != 0) connection_device_[c.request.connection_id] = device->key;
  c.device = std::move(*device);
  return std::nullopt;
}

std::vector<std::int64_t> service_core::take_woken_devices() { return std::exchange(woken_, {}); }

void service_core::connection_closed(std::uint64_t connection_id) {
  connection_device_.erase(connection_id);
}

bool service_core::connected(const device_record& device, clock_time now) const {
  for (const auto& [connection, key] : connection_device_)
    if (key == device.key) return true;
  return device.last_seen != 0 && unix_seconds(now) - device.last_seen < connected_grace_secs;
}

bool service_core::listening(std::int64_t device_key, clock_time now) const {
  const auto notified = notified_until_.find(device_key);
  return notified != notified_until_.end() && now < notified->second;
}

void service_core::set_notified(std::int64_t device_key, bool registered, clock_time now) {
  if (registered)
    notified_until_[device_key] = now + std::chrono::seconds(2 * ans_keep_alive_secs + 5);
  else
    notified_until_.erase(device_key);
}

}  // namespace ads_sim
