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
#include "ads_sim/console/console_pages.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_credentials.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/store/database_url.hpp"
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

json property_json(const property_record& property) {
  return json{{"name", property.name},
              {"base_type", std::string(to_text(property.type))},
              {"direction", std::string(to_text(property.dir))},
              {"value", parsed_or_null(property.value_json)},
              {"data_updated_at", property.updated_at ? json(*property.updated_at) : json(nullptr)}};
}

json ota_offer(const image_record& image, const std::string& url, std::string_view source) {
  return json{{"ota",
               {{"url", url},
                {"ver", image.version},
                {"size", image.size},
                {"type", image.type == "module" ? "module" : "host_mcu"},
                {"checksum", image.sha256},
                {"source", source}}}};
}

bool same_secret(std::string_view given, std::string_view secret) {
  return given.size() == secret.size() && CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

}  // namespace detail

using namespace detail;

namespace {

// The store `url` names, and why it could not be opened (then no store).
std::pair<std::unique_ptr<store>, std::string> opened_store(const database_url& url) {
  auto opened = open_store(url);
  if (!opened) return {nullptr, std::move(opened).error()};
  return {std::move(opened).value(), std::string()};
}

}  // namespace

service_core::service_core(const std::filesystem::path& database_file, std::string admin_token)
    : service_core(database_url::sqlite_file(database_file), std::move(admin_token)) {}

service_core::service_core(const database_url& url, std::string admin_token)
    : service_core(opened_store(url), std::move(admin_token)) {}

service_core::service_core(std::unique_ptr<store> storage, std::string admin_token)
    : service_core(std::pair{std::move(storage), std::string()}, std::move(admin_token)) {}

service_core::service_core(std::pair<std::unique_ptr<store>, std::string> opened, std::string admin_token)
    : state_(std::make_unique<service_state>()), open_error_(std::move(opened.second)), console_(opened.first.get()) {
  state_->storage = std::move(opened.first);
  state_->admin_token = std::move(admin_token);
}

service_core::~service_core() = default;

bool service_core::ok() const { return state_->storage != nullptr; }

store& service_core::storage() { return *state_->storage; }

void service_core::set_endpoints(device_endpoints endpoints) { state_->endpoints = std::move(endpoints); }

service_state& request_context::state() const { return core.state(); }

store& request_context::storage() const { return core.storage(); }

namespace {

// Every area's routes, on one router: the order of rows within an area is the order they are tried in.
const router& ads_router() {
  static const router table = [] {
    router r;
    device_routes(r);
    ota_routes(r);
    admin_routes(r);
    fault_routes(r);
    console_routes(r);
    user_routes(r);
    app_routes(r);
    app_data_routes(r);
    health_routes(r);
    return r;
  }();
  return table;
}

}  // namespace

outcome service_core::handle(const http_request& request, clock_time now, prepared_inputs prepared) {
  const std::string_view path = request.path();
  outcome result = [&]() -> outcome {
    if (console::console_api::serves_page(path)) return console::serve_page(request);
    request_context c(*this, request, now, std::move(prepared));
    service_credentials checks(*state_, console_.auth_if_open());
    return ads_router().handle(c, checks);
  }();
  if (auto* response = std::get_if<http_response>(&result)) {
    if (console::console_api::serves_api(path)) console::console_api::make_private(*response);
    response->set_header("x-Ayla-server-time", std::to_string(unix_seconds(now)));
  }
  return result;
}

std::vector<std::int64_t> service_core::take_woken_devices() { return std::exchange(state_->woken, {}); }

void service_core::connection_closed(std::uint64_t connection_id) {
  state_->connection_device.erase(connection_id);
}

bool service_core::connected(const device_record& device, clock_time now) const {
  for (const auto& [connection, key] : state_->connection_device)
    if (key == device.key) return true;
  return device.last_seen != 0 && unix_seconds(now) - device.last_seen < connected_grace_secs;
}

namespace {

std::int64_t unix_millis(clock_time time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// A device heard from through ANS stays reachable for two keep-alive periods and 5 s (PROTOCOL.md §1.4).
constexpr auto listening_grace = std::chrono::seconds(2 * ans_keep_alive_secs + 5);
// Every packet a device sends is heard — its registration, a keep-alive each ~30 s, the acknowledgement of each
// event — and each could be a write. The deadline is written only when it moves by more than this, so packets that
// arrive together cost one UPDATE and a keep-alive one (10,000 listening devices: ~330 single-row updates a second).
// The stored deadline then trails the true one by at most 5 s: still two whole keep-alive periods after the last
// packet, so a device whose keep-alives arrive is never shown as gone.
constexpr std::int64_t listening_write_step_ms = 5000;

}  // namespace

bool service_core::listening(const device_record& device, clock_time now) const {
  return device.listening_until_ms && unix_millis(now) < *device.listening_until_ms;
}

void service_core::set_notified(std::int64_t device_key, bool registered, clock_time now) {
  auto& written = state_->listening_written;
  auto& devices = state_->storage->devices();
  if (!registered) {
    written.erase(device_key);
    devices.mark_device_not_listening(device_key);
    return;
  }
  const std::int64_t until = unix_millis(now + listening_grace);
  const auto last = written.find(device_key);
  // Also written when the deadline moved back (the clock was set back): the stored one would be too late.
  if (last != written.end() && until >= last->second && until - last->second <= listening_write_step_ms) return;
  // Remembered only once stored: a failed write is tried again at the next packet.
  if (devices.mark_device_listening(device_key, until)) written[device_key] = until;
}

}  // namespace ads_sim
