#pragma once
// What the application API's route files (app_routes.cpp, app_data_routes.cpp) share: Ayla's time format and the
// rule that a user reaches only the devices registered to them.
#include <string>
#include <string_view>

#include "ads_sim/api_result.hpp"
#include "ads_sim/router.hpp"

namespace ads_sim {

// The store's "2026-12-06T23:40:01.123Z" as the clients parse it (strptime "%Y-%m-%dT%H:%M:%SZ"): no fraction.
std::string app_time(std::string_view stored);
// The user's device that `dsn` names; 404 for any other, exactly as for an unknown one.
api_result<device_record> user_device_by_dsn(request_context& c, std::string_view dsn);
// Ayla's list filters (`keys=` of GET .../data.json): '%' before and/or after a text matches any end, start or
// both; without '%', the whole key.
bool matches_key_pattern(std::string_view pattern, std::string_view key);

}  // namespace ads_sim
