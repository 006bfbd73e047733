#pragma once
// service_credentials: the router's credential checks over the service's state — the admin token, a device's
// token or client-auth (PROTOCOL.md §1), a console session cookie, an end user's access token (§6).
#include "ads_sim/router.hpp"
#include "ads_sim/service_state.hpp"

namespace ads_sim {

class service_credentials final : public credential_checks {
 public:
  service_credentials(service_state& state, console::console_auth* console) : state_(state), console_(console) {}

  bool admin_token_valid(const http_request& request) override;
  std::optional<console::active_session> console_session(const http_request& request, clock_time now) override;
  std::optional<http_response> authenticate_device(request_context& c) override;
  std::optional<end_user_record> end_user(const http_request& request, clock_time now) override;

 private:
  service_state& state_;
  console::console_auth* console_;  // none when the store did not open
};

}  // namespace ads_sim
