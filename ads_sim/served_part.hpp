#pragma once
// served_part: which part of ads-sim a listener answers. The main port answers everything; --user-listen and
// --app-listen open listeners that answer only Ayla's user service or only its application API (PROTOCOL.md §6.4),
// as Ayla's user-field and ads-field hosts do, so a client given two base URLs reaches each part where it expects it.
#include <string_view>

#include "ads_sim/http_message.hpp"

namespace ads_sim {

enum class served_part {
  everything,       // the device protocol, admin API, console, user service and application API
  user_service,     // /users.json, /users/..., /api/v1/token_sign_in
  application_api,  // /apiv1/...
};

// Whether a listener of `part` answers a request for `path` (a path without its query).
bool part_serves(served_part part, std::string_view path);

// What a listener answers for a path outside its part: 404 in the app side's error shape.
http_response outside_part_response();

}  // namespace ads_sim
