#pragma once
// console_auth: the console's accounts and sessions, sans-I/O (time is an input). Logins check a slow password
// hash, so they run off the I/O thread (see https_session); after 5 failures for an email, each further attempt
// must wait a doubling delay. A session is a random 256-bit id in a cookie, stored by its SHA-256, with a CSRF
// token the page sends back in a header on every change; it ends after an idle period or an absolute one.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ads_sim/console/password_hash.hpp"
#include "ads_sim/http_message.hpp"
#include "ads_sim/api_result.hpp"
#include "ads_sim/outcome.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim::console {

struct console_settings {
  int kdf_iterations = default_kdf_iterations;
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_max{12 * 3600};
};

inline constexpr std::string_view session_cookie = "__Host-ads-console";
inline constexpr std::string_view csrf_header = "X-CSRF-Token";
inline constexpr std::string_view module_maker_email = "maker@ads-sim.local";
inline constexpr int free_login_failures = 5;

struct signed_in {
  account_record account;
  std::string session_id;  // the cookie's value: given to the browser, never stored
  std::string csrf_token;
};

struct active_session {
  account_record account;
  std::string id_hash;
  std::string csrf_token;
};

class console_auth {
 public:
  console_auth(console_account_store& store, console_settings settings) : store_(store), settings_(settings) {}

  const console_settings& settings() const { return settings_; }
  void configure(const console_settings& settings) { settings_ = settings; }

  // A login in two steps around the slow password check, which runs outside the core's lock: first the refusals
  // that need no hashing (400, 429) or the work to do — an unknown email is hashed too, so it takes as long —
  // then the verdict with its result. `oem_id`, when given, must be the account's OEM (the login page's
  // "(OPTIONAL) OEM ID").
  api_result<password_work> login_work(std::string_view email, std::string_view password, clock_time now);
  api_result<signed_in> finish_login(std::string_view email, std::string_view oem_id, const password_result& checked,
                                     clock_time now);
  // Both steps on the caller's thread (tests, tools).
  api_result<signed_in> login(std::string_view email, std::string_view password, std::string_view oem_id,
                              clock_time now);
  // The session a request's cookie names, if it is still valid; a use moves its idle limit on.
  std::optional<active_session> session_of(const http_request& request, clock_time now);
  void logout(const active_session& session);
  static bool csrf_matches(const active_session& session, const http_request& request);
  static bool csrf_token_matches(const active_session& session, std::string_view token);

  // `password_hash` made by hash_password (or password_work) from a password that passed valid_password.
  api_result<account_record> create_account(std::string_view email, std::string_view name, account_role role,
                                            std::string_view oem_id, std::string_view password_hash, clock_time now);
  // Makes the module maker's account unless one exists. Its password is `password`, or a generated one that is
  // returned (to be shown once); nullopt when the account already existed.
  api_result<std::optional<std::string>> ensure_module_maker(std::optional<std::string> password, clock_time now);

  // "Set-Cookie" values that start and end a session.
  std::string session_cookie_header(std::string_view session_id) const;
  static std::string cleared_cookie_header();

 private:
  console_account_store& store_;
  console_settings settings_;
};

// Sign-in throttling, shared with the app side's user service: after free_login_failures failures for a key (an
// email), each further attempt waits a doubling delay. The seconds an attempt must still wait (0: go ahead), and
// the 429 it gets meanwhile.
std::int64_t login_wait(console_account_store& store, std::string_view key, std::int64_t now);
http_error too_many_failures(std::int64_t wait);

// Rules for what people type, shared by the routes.
bool valid_password(std::string_view password);
bool valid_email(std::string_view email);

}  // namespace ads_sim::console
