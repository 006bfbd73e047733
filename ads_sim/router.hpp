#pragma once
// router: ads-sim's one request pipeline, sans-I/O. Every area (device protocol, admin API, OTA, console) registers
// `route{method, pattern, audience, handler}` rows; for a request the router finds the route (404 unknown path,
// 405 known path with another method), lets in only the route's audience (device token, admin token, console role
// and its CSRF rule, an end user's auth_token), reads a JSON body (415, 400), runs the handler and turns its error
// into the HTTP answer (the app side's errors in the shape Ayla's app clients read, see app_error_body).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_sim/api_result.hpp"
#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/http_message.hpp"
#include "ads_sim/outcome.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim {

class service_core;
struct service_state;

// Who may call a route.
enum class audience {
  anyone,           // open: provisioning, the image host's signed URLs
  device,           // a device proving itself with its auth token, or a client-auth that earns one
  admin,            // the admin API's bearer token
  console_visitor,  // the console before sign-in (the login itself)
  console_account,  // any signed-in console account; its changes need the session's CSRF token
  module_maker,     // the console's module maker account, CSRF as above
  oem,              // a console OEM account, CSRF as above
  app_visitor,      // the user service before sign-in (sign-up, sign-in, refresh, sign-out: no token)
  end_user,         // an end user's access token: "Authorization: auth_token <token>"
};

// Whether a route of `who` called with `method` must carry the session's CSRF token.
bool needs_csrf(audience who, std::string_view method);

// Everything a handler acts on: the request, what the route captured and read, who is calling, and the service.
struct request_context {
  request_context(service_core& core_, const http_request& request_, clock_time now_, prepared_inputs prepared_ = {})
      : core(core_), request(request_), now(now_), prepared(std::move(prepared_)) {}

  service_core& core;  // the in-process API
  const http_request& request;
  clock_time now;
  prepared_inputs prepared;                // what the I/O layer made because a handler asked (need_keys, ...)
  std::vector<std::string> params;         // the pattern's captured segments, in order
  nlohmann::json body = nlohmann::json::object();  // the JSON object of a POST/PUT body ({} when empty)
  std::optional<device_record> device;     // the authenticated device (audience::device)
  std::optional<console::active_session> session;  // the signed-in account (console audiences but the visitor)
  std::optional<end_user_record> user;              // the end user (audience::end_user)
  std::vector<std::pair<std::string, std::string>> extra_headers;  // added to whatever the handler answers

  // What the service remembers besides its in-process API (service_state.hpp), and its store.
  service_state& state() const;
  store& storage() const;
  const account_record& account() const { return session->account; }
};

// What a handler gives back: an outcome (an answer now, no answer, or "answer later"), or an error the router
// turns into the HTTP answer.
using reply = std::variant<http_response, http_error, drop_connection, need_keys, need_password, open_terminal>;
using handler = reply (*)(request_context&);

struct route {
  std::string_view method;
  std::string_view pattern;  // "{}" captures a segment; "{}.json" a segment ending in ".json" (the suffix dropped)
  audience who;
  handler run;
};

// How the router learns who is calling; the service backs it with its store, a test with fixed answers.
class credential_checks {
 public:
  virtual ~credential_checks() = default;
  virtual bool admin_token_valid(const http_request& request) = 0;
  // The session the request's cookie names, if it is still valid (a use moves its idle limit on).
  virtual std::optional<console::active_session> console_session(const http_request& request, clock_time now) = 0;
  // Sets c.device to the device the path names once the request proves to be it; else the refusal (401, 403).
  virtual std::optional<http_response> authenticate_device(request_context& c) = 0;
  // The end user whose access token the request carries, if it is still valid.
  virtual std::optional<end_user_record> end_user(const http_request& request, clock_time now) = 0;
};

class router {
 public:
  // Rows are tried in order: the first whose method and pattern fit wins.
  void add(std::span<const route> routes);
  outcome handle(request_context& c, credential_checks& checks) const;

 private:
  std::optional<http_response> admit(audience who, request_context& c, credential_checks& checks) const;
  std::vector<route> routes_;
};

// The captures of `pattern` in `path`, or nullopt when it does not fit.
std::optional<std::vector<std::string>> match_path(std::string_view pattern, std::string_view path);

// Each area's routes (device_routes.cpp, admin_routes.cpp, ota_routes.cpp, fault_routes.cpp, console_routes.cpp).
void device_routes(router& r);
void admin_routes(router& r);
void ota_routes(router& r);
void fault_routes(router& r);
void console_routes(router& r);
void user_routes(router& r);  // user_routes.cpp: Ayla's user service
void app_routes(router& r);   // app_routes.cpp: Ayla's application API (/apiv1)
void app_data_routes(router& r);  // app_data_routes.cpp: its device metadata (/apiv1/dsns/<DSN>/data)
void health_routes(router& r);  // health_routes.cpp: GET /healthz for load balancers and probes (SPEC §10)

// An error as Ayla's app clients read it: ayla-iot-unofficial and the new sharkiq take "errors" (a string), the old
// sharkiq and devices.json callers "error"."message" (PROTOCOL.md §6).
nlohmann::json app_error_body(std::string_view why);

}  // namespace ads_sim
