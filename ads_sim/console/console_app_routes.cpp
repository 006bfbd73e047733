// The OEM's app side on the console (issue 17 item 5): its applications (made here too: the secret is shown once),
// its end users with the devices each owns. Everything is filtered to the caller's OEM.
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim::console {

using nlohmann::json;

reply get_applications(request_context& c) {
  json apps = json::array();
  for (const auto& app : c.storage().end_users().list_applications(c.account().oem_id))
    apps.push_back({{"app_id", app.app_id}, {"name", app.name}});
  return json_response(200, json{{"applications", apps}});
}

reply post_application(request_context& c) {
  const auto made = create_application(c.storage(), c.account().oem_id, text_or_empty(c.body, "name"), c.now);
  if (!made) return made.error();
  return json_response(201, json{{"app_id", made->app.app_id}, {"app_secret", made->secret}, {"name", made->app.name}});
}

reply get_end_users(request_context& c) {
  json users = json::array();
  for (const auto& user : c.storage().end_users().list_end_users(c.account().oem_id)) {
    json dsns = json::array();
    for (const auto key : c.storage().end_users().devices_of_user(user.user_id))
      if (const auto device = c.storage().devices().find_device(key)) dsns.push_back(device->dsn);
    users.push_back({{"uuid", user.uuid}, {"email", user.email}, {"app_id", user.app_id}, {"devices", dsns}});
  }
  return json_response(200, json{{"end_users", users}});
}

// The email of the end user a device is registered to, or null.
json owner_email(request_context& c, const device_record& device) {
  const auto owner = c.storage().end_users().device_owner(device.key);
  if (!owner) return nullptr;
  const auto user = c.storage().end_users().find_end_user(*owner);
  return user ? json(user->email) : json(nullptr);
}

}  // namespace ads_sim::console
