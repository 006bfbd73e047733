#pragma once
// user_service: the app side's accounts, sans-I/O (time is an input) — an OEM's applications, its end users, which
// user owns which device, and the users' tokens (Ayla's user service, PROTOCOL.md §6). Passwords are hashed and
// checked as the console's are (slow: the routes ask the I/O layer for the work), sign-ins are throttled as the
// console's are, tokens are random and kept by their SHA-256 only, expire, and die on sign-out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ads_sim/api_result.hpp"
#include "ads_sim/console/password_hash.hpp"
#include "ads_sim/http_message.hpp"
#include "ads_sim/outcome.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim {

// Ayla's: clients treat a token with under 600 s left as expiring (ayla-iot-unofficial check_auth).
inline constexpr std::int64_t user_access_token_secs = 86400;
// Not in Ayla's public material: a month, so an app signed in once keeps working across a test campaign.
inline constexpr std::int64_t user_refresh_token_secs = 30 * 86400;
// Not in Ayla's public material either: a registration token lives an hour, long enough to read it off a device
// and type it into an app.
inline constexpr std::int64_t registration_token_secs = 3600;

struct created_application {
  application_record app;
  std::string secret;  // given once, to whoever created the application
};

// What sign-in and refresh answer: the tokens themselves are given to the client, never stored.
struct user_tokens {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = user_access_token_secs;
};

api_result<created_application> create_application(store& storage, std::string_view oem_id, std::string_view name,
                                                   clock_time now);
// The application {"app_id", "app_secret"} names, if the secret is its own; else 404, as Ayla answers.
api_result<application_record> application_of(store& storage, const nlohmann::json& application);
// A new end user of the application's OEM; `password_hash` made by console::hash_password.
api_result<end_user_record> create_end_user(store& storage, const application_record& app, std::string_view email,
                                            std::string_view password_hash, clock_time now);

// Sign-in in two steps around the slow password check, as the console's login: the refusals that need no hashing
// (400, 429) or the work to do (an unknown email is hashed too, so it takes as long), then the verdict.
api_result<console::password_work> sign_in_work(store& storage, const application_record& app, std::string_view email,
                                                std::string_view password, int kdf_iterations, clock_time now);
api_result<user_tokens> finish_sign_in(store& storage, const application_record& app, std::string_view email,
                                       const console::password_result& checked, clock_time now);
// An identity token (identity_token.hpp) for one of the OEM's users, as the provider would give the user's app;
// 404 for an unknown application or a user the application's OEM does not have.
api_result<std::string> identity_token_for(store& storage, std::string_view signing_key, std::string_view app_id,
                                           std::string_view email, clock_time now);
// Token sign-in (sharkiq's step after its identity provider): a token this service signed for this application
// signs in the user it names, and no one else; 401 for any other token.
api_result<user_tokens> token_sign_in(store& storage, std::string_view signing_key, const application_record& app,
                                      std::string_view token, clock_time now);
// A new token pair for the user of `refresh_token` (which is then used up); 401 when it is unknown or expired.
api_result<user_tokens> refresh_sign_in(store& storage, std::string_view refresh_token, clock_time now);
// Revokes an access token (and its refresh token); 401 when it is unknown.
api_result<common::done> sign_out(store& storage, std::string_view access_token);
// The end user whose "Authorization: auth_token <token>" the request carries, if the token is still valid.
std::optional<end_user_record> end_user_of(store& storage, const http_request& request, clock_time now);

// Registers the device `dsn` to the user ("Dsn"; its registration token is then gone): 404, as Ayla's "Unable to
// find registrable device", when it is no device of the user's OEM or it has an owner already.
api_result<device_record> register_device(store& storage, const end_user_record& user, std::string_view dsn,
                                          clock_time now);
// Registers the device holding the registration token `token` to the user ("Display"), using the token up: 404 as
// above when no device of the user's OEM holds it unexpired, the device has an owner, or it is not the `dsn` given
// beside the token.
api_result<device_record> register_device_by_token(store& storage, const end_user_record& user,
                                                   std::string_view token, std::optional<std::string_view> dsn,
                                                   clock_time now);
// The device's registration token still valid at `now`, or a new one in its place (6 hex digits, valid
// registration_token_secs): what the device shows (GET /dsns) for a user's app to register it by.
api_result<registration_token> registration_token_for(store& storage, std::int64_t device_key, clock_time now);
// How the device's owner registered it, "Dsn" when it has none or the store cannot say.
registration_type registration_type_of(store& storage, std::int64_t device_key);
// The device found, if the user owns it; 404 for any other (another user's device is never told apart from none).
api_result<device_record> owned_device(store& storage, const end_user_record& user, store_result<device_record> found);

}  // namespace ads_sim
