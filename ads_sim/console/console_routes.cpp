// The console's JSON API (note §5.1) on the service's router, under /api/v1/console/.
#include "ads_sim/console/console_routes.hpp"

#include "ads_sim/service_core.hpp"

namespace ads_sim {
namespace console {

common::result<device_record, http_error> own_device(request_context& c, std::string_view dsn) {
  auto device = c.storage().devices().find_device_by_dsn(dsn);
  if (!device) return http_error{404, "unknown device"};
  if (device->oem_id != c.account().oem_id) return http_error{403, "another OEM's device"};
  return std::move(*device);
}

console_auth& auth_of(request_context& c) { return c.core.console().auth(); }

}  // namespace console

void console_routes(router& r) {
  using namespace console;
  static constexpr route routes[] = {
      {"POST", "/api/v1/console/login", audience::console_visitor, &post_login},
      {"POST", "/api/v1/console/logout", audience::console_account, &post_logout},
      {"GET", "/api/v1/console/session", audience::console_account, &get_session},
      {"GET", "/api/v1/console/oems", audience::module_maker, &get_oems},
      {"POST", "/api/v1/console/oems", audience::module_maker, &post_oem},
      {"GET", "/api/v1/console/images", audience::console_account, &get_images},
      {"POST", "/api/v1/console/images", audience::console_account, &post_image},
      {"GET", "/api/v1/console/provision_keys", audience::oem, &get_provision_keys},
      {"POST", "/api/v1/console/provision_keys", audience::oem, &post_provision_key},
      {"GET", "/api/v1/console/models", audience::oem, &get_models},
      {"GET", "/api/v1/console/devices", audience::oem, &get_devices},
      {"GET", "/api/v1/console/devices/{}", audience::oem, &get_device},
      {"GET", "/api/v1/console/applications", audience::oem, &get_applications},
      {"POST", "/api/v1/console/applications", audience::oem, &post_application},
      {"GET", "/api/v1/console/end_users", audience::oem, &get_end_users},
      {"GET", "/api/v1/console/devices/{}/terminal", audience::console_account, &open_device_terminal},
      {"GET", "/api/v1/console/devices/{}/properties/{}/datapoints", audience::oem, &get_datapoints},
      {"PUT", "/api/v1/console/devices/{}/properties/{}", audience::oem, &put_property},
      // Before /ota_jobs/{}: "preview" is no job id.
      {"POST", "/api/v1/console/ota_jobs/preview", audience::oem, &preview_ota_job},
      {"POST", "/api/v1/console/ota_jobs", audience::oem, &post_ota_job},
      {"GET", "/api/v1/console/ota_jobs", audience::oem, &get_ota_jobs},
      {"GET", "/api/v1/console/ota_jobs/{}", audience::oem, &get_ota_job},
      {"POST", "/api/v1/console/ota_jobs/{}/start", audience::oem, &start_ota_job},
  };
  r.add(routes);
}

}  // namespace ads_sim
