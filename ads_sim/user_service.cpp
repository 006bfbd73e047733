#include "ads_sim/user_service.hpp"

#include "ads_client/rsa_key.hpp"
#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/identity_token.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim {

namespace {

constexpr std::string_view wrong_application = "Could not find application with the app_id and app_secret given";
constexpr std::string_view wrong_password = "Invalid email or password";

// Ayla's one answer for every device a user cannot register (ayla-cloud-api.yaml, POST /apiv1/devices, 404):
// unknown, another OEM's, another user's or this user's already; no one learns which.
http_error not_registrable() { return http_error{404, "Unable to find registrable device"}; }

// End users' failures share the console's table under their own keys: "user <oem> <email>" never clashes with a
// console email (no spaces) nor with another OEM's user of the same email.
std::string throttle_key(const application_record& app, std::string_view email) {
  return "user " + app.oem_id + " " + std::string(email);
}

// "8-4-4-4-12" hex, as Ayla's user uuids look.
std::string random_uuid() {
  const std::string hex = random_hex(16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

api_result<user_tokens> new_tokens(store& storage, std::int64_t user_id, clock_time now) {
  user_tokens tokens{random_hex(16), random_hex(16), user_access_token_secs};
  const std::int64_t secs = unix_seconds(now);
  const auto stored = storage.end_users().insert_user_tokens(
      ads_client::sha256_hex(tokens.access_token), ads_client::sha256_hex(tokens.refresh_token), user_id,
      secs + user_access_token_secs, secs + user_refresh_token_secs, secs);
  if (!stored) return http_error{500, "cannot store the tokens"};
  return tokens;
}

}  // namespace

api_result<created_application> create_application(store& storage, std::string_view oem_id, std::string_view name,
                                                   clock_time now) {
  if (!storage.oems().find_oem(oem_id)) return http_error{404, "unknown oem"};
  if (name.empty() || name.size() > 128) return http_error{400, "name: 1..128 characters"};
  created_application made{{"", std::string(oem_id), std::string(name), ""}, random_hex(16)};
  made.app.secret_hash = ads_client::sha256_hex(made.secret);
  // Ids look like Ayla's ("<name>-id" in their samples): a readable head and a random tail.
  for (int attempt = 0; attempt < 16; ++attempt) {
    made.app.app_id = "app-" + random_hex(6);
    if (storage.end_users().insert_application(made.app, iso8601(now))) return made;
  }
  return http_error{500, "cannot store the application"};
}

api_result<application_record> application_of(store& storage, const nlohmann::json& application) {
  const auto* app_id = string_field(application, "app_id");
  const auto* secret = string_field(application, "app_secret");
  if (!app_id || !secret) return http_error{404, std::string(wrong_application)};
  auto app = storage.end_users().find_application(*app_id);
  if (!app || !detail::same_secret(ads_client::sha256_hex(*secret), app->secret_hash))
    return http_error{404, std::string(wrong_application)};
  return std::move(*app);
}

api_result<end_user_record> create_end_user(store& storage, const application_record& app, std::string_view email,
                                            std::string_view password_hash, clock_time now) {
  if (!console::valid_email(email)) return http_error{422, "email: a printable address with an @"};
  const end_user_record user{0, random_uuid(), app.oem_id, app.app_id, std::string(email),
                             std::string(password_hash)};
  auto stored = storage.end_users().insert_end_user(user, iso8601(now));
  if (!stored)
    return stored.error() == store_error::exists ? http_error{422, "email has already been taken"}
                                                 : http_error{500, "cannot store the user"};
  return std::move(*stored);
}

api_result<console::password_work> sign_in_work(store& storage, const application_record& app, std::string_view email,
                                                std::string_view password, int kdf_iterations, clock_time now) {
  if (!console::valid_email(email) || password.empty() || password.size() > 256)
    return http_error{400, "user.email and user.password are required"};
  if (const auto wait = console::login_wait(storage.accounts(), throttle_key(app, email), unix_seconds(now)))
    return console::too_many_failures(wait);
  const auto user = storage.end_users().find_end_user_by_email(app.oem_id, email);
  return console::password_work{std::string(password), user ? user->password_hash : "", kdf_iterations};
}

api_result<user_tokens> finish_sign_in(store& storage, const application_record& app, std::string_view email,
                                       const console::password_result& checked, clock_time now) {
  const std::int64_t secs = unix_seconds(now);
  const std::string key = throttle_key(app, email);
  // Another attempt may have failed while this one was hashed: the limit holds for it too.
  if (const auto wait = console::login_wait(storage.accounts(), key, secs)) return console::too_many_failures(wait);
  const auto user = storage.end_users().find_end_user_by_email(app.oem_id, email);
  if (!user || !checked.matches || user->password_hash != checked.checked_against) {
    storage.accounts().record_failure(key, secs);
    return http_error{401, std::string(wrong_password)};
  }
  storage.accounts().clear_failures(key);
  return new_tokens(storage, user->user_id, now);
}

api_result<std::string> identity_token_for(store& storage, std::string_view signing_key, std::string_view app_id,
                                           std::string_view email, clock_time now) {
  const auto app = storage.end_users().find_application(app_id);
  if (!app) return http_error{404, "unknown application"};
  const auto user = storage.end_users().find_end_user_by_email(app->oem_id, email);
  if (!user) return http_error{404, "the application's OEM has no user with that email"};
  return mint_identity_token(signing_key, {user->uuid, user->email, app->app_id, 0}, unix_seconds(now));
}

api_result<user_tokens> token_sign_in(store& storage, std::string_view signing_key, const application_record& app,
                                      std::string_view token, clock_time now) {
  const http_error refused{401, "Invalid or expired identity token"};
  const auto claims = verify_identity_token(signing_key, token, unix_seconds(now));
  if (!claims || claims->app_id != app.app_id) return refused;
  // By email within the OEM, then the uuid must be the same user's: a user made again under the same email is
  // another user, whom the old token does not sign in.
  const auto user = storage.end_users().find_end_user_by_email(app.oem_id, claims->email);
  if (!user || user->uuid != claims->user_uuid) return refused;
  return new_tokens(storage, user->user_id, now);
}

api_result<user_tokens> refresh_sign_in(store& storage, std::string_view refresh_token, clock_time now) {
  const auto user = storage.end_users().take_refresh_token(ads_client::sha256_hex(refresh_token), unix_seconds(now));
  if (!user) return http_error{401, "Your refresh token is invalid or expired"};
  return new_tokens(storage, *user, now);
}

api_result<common::done> sign_out(store& storage, std::string_view access_token) {
  if (!storage.end_users().delete_access_token(ads_client::sha256_hex(access_token)))
    return http_error{401, "Your access token is invalid"};
  return common::done{};
}

std::optional<end_user_record> end_user_of(store& storage, const http_request& request, clock_time now) {
  constexpr std::string_view scheme = "auth_token ";
  const auto header = request.header("Authorization");
  if (!header || header->size() <= scheme.size() || !iequals(header->substr(0, scheme.size()), scheme))
    return std::nullopt;
  const auto user_id =
      storage.end_users().find_access_token(ads_client::sha256_hex(header->substr(scheme.size())), unix_seconds(now));
  if (!user_id) return std::nullopt;
  auto user = storage.end_users().find_end_user(*user_id);
  if (!user) return std::nullopt;
  return std::move(*user);
}

api_result<device_record> register_device(store& storage, const end_user_record& user, std::string_view dsn,
                                          clock_time now) {
  auto device = storage.devices().find_device_by_dsn(dsn);
  if (!device || device->oem_id != user.oem_id) return not_registrable();
  if (const auto owned = storage.end_users().set_device_owner(device->key, user.user_id, iso8601(now)); !owned)
    return owned.error() == store_error::exists ? not_registrable() : http_error{500, "cannot store the registration"};
  // The token the device shows is of no use any more (not_found: it had none).
  storage.registrations().delete_registration_token(device->key);
  return std::move(*device);
}

api_result<device_record> register_device_by_token(store& storage, const end_user_record& user,
                                                   std::string_view token, std::optional<std::string_view> dsn,
                                                   clock_time now) {
  auto& registrations = storage.registrations();
  const auto key = registrations.find_registration_token(token, unix_seconds(now));
  if (!key) return key.error() == store_error::not_found ? not_registrable() : http_error{500, "cannot read tokens"};
  auto device = storage.devices().find_device(*key);
  // Checked before the token is taken: a user of another OEM who types it does not use it up.
  if (!device || device->oem_id != user.oem_id || (dsn && *dsn != device->dsn)) return not_registrable();
  if (!registrations.take_registration_token(device->key, token)) return not_registrable();  // another user took it
  if (const auto owned = storage.end_users().set_device_owner(device->key, user.user_id, iso8601(now)); !owned)
    return owned.error() == store_error::exists ? not_registrable() : http_error{500, "cannot store the registration"};
  if (!registrations.set_registration_type(device->key, registration_type::display))
    return http_error{500, "cannot store the registration"};
  return std::move(*device);
}

api_result<registration_token> registration_token_for(store& storage, std::int64_t device_key, clock_time now) {
  const std::int64_t secs = unix_seconds(now);
  auto& registrations = storage.registrations();
  if (auto current = registrations.registration_token_of(device_key); current && current->expires_at > secs)
    return std::move(*current);
  // 24 bits, short for typing: a clash with another device's live token is tried again.
  for (int attempt = 0; attempt < 16; ++attempt) {
    registration_token fresh{random_hex(3), secs + registration_token_secs};
    const auto stored = registrations.put_registration_token(device_key, fresh, secs);
    if (stored) return fresh;
    if (stored.error() != store_error::exists) break;
  }
  return http_error{500, "cannot store the registration token"};
}

registration_type registration_type_of(store& storage, std::int64_t device_key) {
  return storage.registrations().registration_type_of(device_key).value_or(registration_type::dsn);
}

api_result<device_record> owned_device(store& storage, const end_user_record& user, store_result<device_record> found) {
  if (!found) return http_error{404, "Device not found"};
  const auto owner = storage.end_users().device_owner(found->key);
  if (!owner || *owner != user.user_id) return http_error{404, "Device not found"};
  return std::move(*found);
}

}  // namespace ads_sim
