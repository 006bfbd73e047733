#include "ads_sim/served_part.hpp"

#include "ads_sim/router.hpp"

namespace ads_sim {

bool part_serves(served_part part, std::string_view path) {
  switch (part) {
    case served_part::everything:
      return true;
    case served_part::user_service:
      return path == "/users.json" || path.starts_with("/users/") || path == "/api/v1/token_sign_in" ||
             path == "/api/v1/token_sign_in.json";
    case served_part::application_api:
      return path.starts_with("/apiv1/");
  }
  return false;
}

http_response outside_part_response() {
  return json_response(404, app_error_body("not served on this listener"));
}

}  // namespace ads_sim
