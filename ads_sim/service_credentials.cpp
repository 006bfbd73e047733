#include "ads_sim/service_credentials.hpp"

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim {

using namespace detail;

namespace {

// The device a device route's path names: by DSN on /dsns/<dsn>.json, else by key (/devices/<key>/...).
store_result<device_record> device_named_by(store& storage, const request_context& c) {
  if (c.request.path().starts_with("/dsns/")) return storage.devices().find_device_by_dsn(c.params.at(0));
  const auto key = parse_int(c.params.at(0));
  if (!key) return store_error::not_found;
  return storage.devices().find_device(*key);
}

}  // namespace

bool service_credentials::admin_token_valid(const http_request& request) {
  const auto header = request.header("Authorization");
  constexpr std::string_view bearer = "Bearer ";
  if (!header || header->size() <= bearer.size() || !iequals(header->substr(0, bearer.size()), bearer)) return false;
  return same_secret(header->substr(bearer.size()), state_.admin_token);
}

std::optional<console::active_session> service_credentials::console_session(const http_request& request,
                                                                            clock_time now) {
  if (!console_) return std::nullopt;
  return console_->session_of(request, now);
}

std::optional<end_user_record> service_credentials::end_user(const http_request& request, clock_time now) {
  return end_user_of(*state_.storage, request, now);
}

std::optional<http_response> service_credentials::authenticate_device(request_context& c) {
  store& storage = *state_.storage;
  auto device = device_named_by(storage, c);
  const std::int64_t now = unix_seconds(c.now);
  constexpr std::string_view scheme = "Ayla1.0 ";
  // A 401 for a device the path names is counted, with its reason, for the admin API.
  const auto refuse = [&](std::string_view why) {
    if (device) {
      auto& refusals = state_.refusals[device->key];
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
    storage.devices().insert_token(ads_client::sha256_hex(token), device->key, now + token_lifetime_secs);
    c.extra_headers.emplace_back("x-Ayla-auth-key", token);
  } else if (auto token = c.request.header("x-Ayla-auth-key")) {
    if (token->substr(0, scheme.size()) == scheme) token->remove_prefix(scheme.size());
    const auto owner = storage.devices().find_token(ads_client::sha256_hex(*token), now);
    if (!owner) return refuse("unknown or expired token");
    if (!device || device->key != *owner) return error_response(403, "token belongs to another device");
  } else {
    return refuse("missing x-Ayla-auth-key");
  }
  storage.devices().set_last_seen(device->key, now);
  device->last_seen = now;
  if (c.request.connection_id != 0) state_.connection_device[c.request.connection_id] = device->key;
  c.device = std::move(*device);
  return std::nullopt;
}

}  // namespace ads_sim
