#include "ads_client/ayla_host.hpp"

namespace ads_client {

std::string ayla_host_name(std::string_view region, std::string_view oem_model, std::string_view oem_id) {
  const std::string domain = region == "CN" ? "ayla.com.cn" : "aylanetworks.com";
  if (!oem_model.empty() && !oem_id.empty()) {
    return std::string(oem_model) + "-" + std::string(oem_id) + "-device." + domain;
  }
  return "ads-dev." + domain;
}

}  // namespace ads_client
