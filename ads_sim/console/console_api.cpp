#include "ads_sim/console/console_api.hpp"

#include "ads_sim/console/console_pages.hpp"
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim::console {
namespace {

constexpr std::string_view api_prefix = "/api/v1/console/";
constexpr std::string_view pages_prefix = "/console";

enum class audience { anyone, signed_in, module_maker, oem };

struct api_route {
  std::string_view method;
  std::string_view pattern;  // below /api/v1/console; "{}" captures a segment
  audience who;
  http_response (*run)(console_call&);
};

const std::vector<api_route>& api_routes() {
  static const std::vector<api_route> table = {
      {"POST", "/login", audience::anyone, &post_login},
      {"POST", "/logout", audience::signed_in, &post_logout},
      {"GET", "/session", audience::signed_in, &get_session},
      {"GET", "/oems", audience::module_maker, &get_oems},
      {"POST", "/oems", audience::module_maker, &post_oem},
      {"GET", "/images", audience::signed_in, &get_images},
      {"POST", "/images", audience::signed_in, &post_image},
      {"GET", "/provision_keys", audience::oem, &get_provision_keys},
      {"POST", "/provision_keys", audience::oem, &post_provision_key},
      {"GET", "/models", audience::oem, &get_models},
      {"GET", "/devices", audience::oem, &get_devices},
      {"GET", "/devices/{}", audience::oem, &get_device},
      {"GET", "/devices/{}/properties/{}/datapoints", audience::oem, &get_datapoints},
      {"PUT", "/devices/{}/properties/{}", audience::oem, &put_property},
      {"POST", "/ota_jobs/preview", audience::oem, &preview_ota_job},
      {"POST", "/ota_jobs", audience::oem, &post_ota_job},
      {"GET", "/ota_jobs", audience::oem, &get_ota_jobs},
      {"GET", "/ota_jobs/{}", audience::oem, &get_ota_job},
      {"POST", "/ota_jobs/{}/start", audience::oem, &start_ota_job},
  };
  return table;
}

bool changes_state(std::string_view method) { return method != "GET" && method != "HEAD"; }

// Answers of the API are private to the signed-in account: never cached.
http_response private_answer(http_response response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace

struct console_api::parts {
  explicit parts(service_core& core_) : core(core_), auth(core_.storage().accounts(), console_settings{}) {}

  console_answer answer_api(const http_request& request, clock_time now,
                            const std::optional<password_result>& password_done);

  service_core& core;
  console_auth auth;
};

console_api::console_api(service_core& core) : parts_(core.ok() ? std::make_unique<parts>(core) : nullptr) {}

console_api::~console_api() = default;

console_auth& console_api::auth() { return parts_->auth; }

bool console_api::serves(std::string_view path) {
  return path.starts_with(api_prefix) || path == pages_prefix || path.starts_with("/console/");
}

console_answer console_api::handle(const http_request& request, std::chrono::system_clock::time_point now,
                                   const std::optional<password_result>& password_done) {
  if (!request.path().starts_with(api_prefix)) return serve_page(request);
  auto answer = parts_->answer_api(request, now, password_done);
  if (auto* response = std::get_if<http_response>(&answer)) return private_answer(std::move(*response));
  return answer;
}

console_answer console_api::parts::answer_api(const http_request& request, clock_time now,
                                              const std::optional<password_result>& password_done) {
  const std::string_view path = request.path().substr(api_prefix.size() - 1);
  auto match = detail::find_route(api_routes(), request.method, path);
  const api_route* found = match.route;
  if (!found)
    return match.path_known ? error_response(405, "method not allowed") : error_response(404, "unknown path");

  console_call c{core,         core.storage(), auth, request, now, std::move(match.params), std::nullopt,
                 nlohmann::json::object(), password_done, std::nullopt};
  if (found->who != audience::anyone) {
    c.session = auth.session_of(request, now);
    if (!c.session) return error_response(401, "sign in first (no session, or it has expired)");
    const auto role = c.session->account.role;
    if ((found->who == audience::module_maker && role != account_role::module_maker) ||
        (found->who == audience::oem && role != account_role::oem))
      return error_response(403, "not for this account");
    if (changes_state(request.method) && !console_auth::csrf_matches(*c.session, request))
      return error_response(403, "missing or wrong CSRF token");
  }
  if (changes_state(request.method) && !request.body.empty()) {
    if (!detail::is_json_content_type(request.header("Content-Type")))
      return error_response(415, "content type must be application/json");
    c.body = nlohmann::json::parse(request.body, nullptr, false);
    if (c.body.is_discarded() || !c.body.is_object()) return error_response(400, "body is not a JSON object");
  }
  try {
    auto response = found->run(c);
    if (c.asked) return std::move(*c.asked);
    return response;
  } catch (const std::exception&) {
    return error_response(400, "malformed request");  // a field of an unexpected JSON type
  }
}

std::string text_or_empty(const nlohmann::json& body, std::string_view name) {
  const auto* value = detail::string_field(body, name);
  return value ? *value : std::string();
}

device_lookup own_device(console_call& c, std::string_view dsn) {
  auto device = c.store.devices().find_device_by_dsn(dsn);
  if (!device) return {std::nullopt, error_response(404, "unknown device")};
  if (device->oem_id != c.account().oem_id) return {std::nullopt, error_response(403, "another OEM's device")};
  return {std::move(*device), {}};
}

}  // namespace ads_sim::console
