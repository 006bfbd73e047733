#pragma once
// The Ayla device-service host name a module connects to (SPEC §4).
#include <string>
#include <string_view>

namespace ads_client {

// Region "CN" → ayla.com.cn, anything else ("US", unset) → aylanetworks.com; the host is
// "<oem model>-<oem id>-device.<domain>" when both are set, else "ads-dev.<domain>".
std::string ayla_host_name(std::string_view region, std::string_view oem_model, std::string_view oem_id);

}  // namespace ads_client
