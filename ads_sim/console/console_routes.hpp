#pragma once
// Internals of console_api shared by its route files: what a route handler gets, and the handlers. Not a public API.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/service_core.hpp"

namespace ads_sim::console {

struct console_call {
  service_core& core;
  ads_sim::store& store;
  console_auth& auth;
  const http_request& request;
  clock_time now;
  std::vector<std::string> params;       // the route's captured segments
  std::optional<active_session> session;  // set on every route but the open ones
  nlohmann::json body;                    // the parsed JSON body of a POST/PUT ({} when empty)
  const std::optional<password_result>& password_done;  // the result of the work the route asked for
  std::optional<password_work> asked;                    // set by ask(): the answer waits for this work

  const account_record& account() const { return session->account; }
  // The route needs slow password work first: the request is handled again with its result (password_done).
  http_response ask(password_work work) {
    asked = std::move(work);
    return {};
  }
};

// The string member `name` of a request body, or "" when absent or not a string.
std::string text_or_empty(const nlohmann::json& body, std::string_view name);

// The OEM device `dsn` if the caller may see it; else the answer to give (404 unknown, 403 another OEM's).
struct device_lookup {
  std::optional<device_record> device;
  http_response refusal;
};
device_lookup own_device(console_call& c, std::string_view dsn);

// Accounts and sessions (console_account_routes.cpp).
http_response post_login(console_call& c);
http_response post_logout(console_call& c);
http_response get_session(console_call& c);
http_response get_oems(console_call& c);
http_response post_oem(console_call& c);
// Provision keys, models and devices of the caller's OEM (console_device_routes.cpp).
http_response get_provision_keys(console_call& c);
http_response post_provision_key(console_call& c);
http_response get_models(console_call& c);
http_response get_devices(console_call& c);
http_response get_device(console_call& c);
http_response get_datapoints(console_call& c);
http_response put_property(console_call& c);
// Images and OTA jobs (console_ota_routes.cpp).
http_response get_images(console_call& c);
http_response post_image(console_call& c);
http_response preview_ota_job(console_call& c);
http_response post_ota_job(console_call& c);
http_response get_ota_jobs(console_call& c);
http_response get_ota_job(console_call& c);
http_response start_ota_job(console_call& c);

}  // namespace ads_sim::console
