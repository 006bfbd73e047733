#include "ads_sim/console/console_auth.hpp"

#include <openssl/crypto.h>

#include <algorithm>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/service_core.hpp"

namespace ads_sim::console {
namespace {

constexpr std::int64_t first_delay_secs = 30;
constexpr std::int64_t max_delay_secs = 15 * 60;
constexpr std::size_t min_password = 8;
constexpr std::size_t max_password = 256;

// The value of cookie `name` in a Cookie header ("a=1; b=2").
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (semicolon == std::string_view::npos) break;
    header.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool valid_password(std::string_view password) {
  return password.size() >= min_password && password.size() <= max_password;
}

bool valid_email(std::string_view email) {
  const auto at = email.find('@');
  if (email.size() > 256 || at == std::string_view::npos || at == 0 || at + 1 == email.size()) return false;
  return std::none_of(email.begin(), email.end(), [](char ch) { return ch <= ' ' || ch > '~'; });
}

std::int64_t login_wait(console_account_store& store, std::string_view key, std::int64_t now) {
  const auto failures = store.failures_of(key);
  if (failures.count < free_login_failures) return 0;
  const int doublings = std::min(failures.count - free_login_failures, 16);
  const std::int64_t delay = std::min(first_delay_secs << doublings, max_delay_secs);
  return std::max<std::int64_t>(0, failures.last_at + delay - now);
}

http_error too_many_failures(std::int64_t wait) {
  return http_error{429, "too many failed logins: try again in " + std::to_string(wait) + " s"};
}

api_result<password_work> console_auth::login_work(std::string_view email, std::string_view password,
                                                  clock_time now) {
  if (!valid_email(email) || password.empty() || password.size() > max_password)
    return http_error{400, "email and password are required"};
  if (const auto wait = login_wait(store_, email, unix_seconds(now))) return too_many_failures(wait);
  const auto account = store_.find_account_by_email(email);
  return password_work{std::string(password), account ? account->password_hash : "", settings_.kdf_iterations};
}

api_result<signed_in> console_auth::login(std::string_view email, std::string_view password,
                                          std::string_view oem_id, clock_time now) {
  const auto work = login_work(email, password, now);
  if (!work) return work.error();
  return finish_login(email, oem_id, do_password_work(*work), now);
}

api_result<signed_in> console_auth::finish_login(std::string_view email, std::string_view oem_id,
                                                 const password_result& checked, clock_time now) {
  const std::int64_t secs = unix_seconds(now);
  // Another attempt may have failed while this one was hashed: the limit holds for it too.
  if (const auto wait = login_wait(store_, email, secs)) return too_many_failures(wait);
  const auto account = store_.find_account_by_email(email);
  const bool matches = account && checked.matches && account->password_hash == checked.checked_against;
  if (!matches || (!oem_id.empty() && account->oem_id != oem_id)) {
    store_.record_failure(email, secs);
    return http_error{401, "wrong email, password or OEM ID"};
  }
  store_.clear_failures(email);
  store_.delete_sessions_ended_by(secs);
  signed_in session{*account, random_hex(32), random_hex(16)};
  const session_record record{account->account_id, session.csrf_token, secs + settings_.session_idle.count(),
                              secs + settings_.session_max.count()};
  if (!store_.insert_session(ads_client::sha256_hex(session.session_id), record))
    return http_error{500, "cannot store the session"};
  return session;
}

std::optional<active_session> console_auth::session_of(const http_request& request, clock_time now) {
  const auto header = request.header("Cookie");
  const auto id = header ? cookie_value(*header, session_cookie) : std::nullopt;
  if (!id || id->empty()) return std::nullopt;
  std::string id_hash = ads_client::sha256_hex(*id);
  const auto record = store_.find_session(id_hash);
  const std::int64_t secs = unix_seconds(now);
  if (!record) return std::nullopt;
  if (secs >= record->expires_at || secs >= record->ends_at) {
    store_.delete_session(id_hash);
    return std::nullopt;
  }
  auto account = store_.find_account(record->account_id);
  if (!account) return std::nullopt;
  store_.touch_session(id_hash, secs + settings_.session_idle.count());
  return active_session{std::move(*account), std::move(id_hash), record->csrf_token};
}

void console_auth::logout(const active_session& session) { store_.delete_session(session.id_hash); }

bool console_auth::csrf_matches(const active_session& session, const http_request& request) {
  const auto sent = request.header(csrf_header);
  return sent && csrf_token_matches(session, *sent);
}

bool console_auth::csrf_token_matches(const active_session& session, std::string_view token) {
  return same_secret(token, session.csrf_token);
}

api_result<account_record> console_auth::create_account(std::string_view email, std::string_view name,
                                                        account_role role, std::string_view oem_id,
                                                        std::string_view password_hash, clock_time now) {
  if (!valid_email(email)) return http_error{400, "email: a printable address with an @"};
  if (name.empty() || name.size() > 128) return http_error{400, "name: 1..128 characters"};
  if (store_.find_account_by_email(email)) return http_error{409, "an account has that email"};
  account_record account{0, std::string(email), std::string(name), role, std::string(oem_id),
                         std::string(password_hash)};
  if (!store_.insert_account(account, iso8601(now))) return http_error{500, "cannot store the account"};
  auto stored = store_.find_account_by_email(email);
  if (!stored) return http_error{500, "the account vanished"};
  return std::move(*stored);
}

api_result<std::optional<std::string>> console_auth::ensure_module_maker(std::optional<std::string> password,
                                                                         clock_time now) {
  if (store_.has_module_maker()) {
    // A password given on the command line replaces the stored one, so a lost password can be reset.
    if (!password) return std::optional<std::string>();
    if (!valid_password(*password)) return http_error{400, "console password: 8..256 characters"};
    const auto maker = store_.find_account_by_email(module_maker_email);
    if (!maker || !store_.set_password_hash(maker->account_id, hash_password(*password, settings_.kdf_iterations)))
      return http_error{500, "cannot store the console password"};
    return std::optional<std::string>();
  }
  const bool generated = !password;
  const std::string chosen = generated ? random_hex(12) : *password;
  if (!valid_password(chosen)) return http_error{400, "console password: 8..256 characters"};
  const auto made = create_account(module_maker_email, "Module maker", account_role::module_maker, "",
                                   hash_password(chosen, settings_.kdf_iterations), now);
  if (!made) {
    // Replicas starting together on an empty database: another one made the module maker after we looked. Its
    // password stands (that replica shows it), unless one was given here.
    if (store_.has_module_maker()) return ensure_module_maker(password, now);
    return http_error{made.error().status, "console module maker: " + made.error().message};
  }
  return generated ? std::optional<std::string>(chosen) : std::nullopt;
}

namespace {

// The session cookie's Set-Cookie value. Appended in place: g++ 12 warns (array-bounds, falsely) about an
// operator+ chain that starts with the cookie's name.
std::string cookie_header(std::string_view value, std::int64_t max_age) {
  std::string header(session_cookie);
  header.append("=").append(value).append("; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=");
  return header.append(std::to_string(max_age));
}

}  // namespace

std::string console_auth::session_cookie_header(std::string_view session_id) const {
  return cookie_header(session_id, settings_.session_max.count());
}

std::string console_auth::cleared_cookie_header() { return cookie_header("", 0); }

}  // namespace ads_sim::console
