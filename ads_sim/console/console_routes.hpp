#pragma once
// Internals of the console's API shared by its route files: the handlers and what they share. Not a public API.
#include <string_view>

#include "ads_sim/router.hpp"
#include "common/result.hpp"

namespace ads_sim::console {

// The OEM device `dsn` if the caller may see it; else 404 (unknown) or 403 (another OEM's).
common::result<device_record, http_error> own_device(request_context& c, std::string_view dsn);
// The console's accounts and sessions, kept by the core.
console_auth& auth_of(request_context& c);

// Accounts and sessions (console_account_routes.cpp).
reply post_login(request_context& c);
reply post_logout(request_context& c);
reply get_session(request_context& c);
reply get_oems(request_context& c);
reply post_oem(request_context& c);
// Provision keys, models and devices of the caller's OEM (console_device_routes.cpp).
reply get_provision_keys(request_context& c);
reply post_provision_key(request_context& c);
reply get_models(request_context& c);
reply get_devices(request_context& c);
reply get_device(request_context& c);
reply get_datapoints(request_context& c);
reply put_property(request_context& c);
// Applications, end users and device owners of the caller's OEM (console_app_routes.cpp).
reply get_applications(request_context& c);
reply post_application(request_context& c);
reply get_end_users(request_context& c);
nlohmann::json owner_email(request_context& c, const device_record& device);  // null when none
// The device's AT port as a WebSocket, when its module runs in this process (console_terminal_route.cpp).
reply open_device_terminal(request_context& c);
// Images and OTA jobs (console_ota_routes.cpp).
reply get_images(request_context& c);
reply post_image(request_context& c);
reply preview_ota_job(request_context& c);
reply post_ota_job(request_context& c);
reply get_ota_jobs(request_context& c);
reply get_ota_job(request_context& c);
reply start_ota_job(request_context& c);

}  // namespace ads_sim::console
