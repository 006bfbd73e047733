// The console's terminal: the upgrade request's checks (terminal_access) with what the service knows, and the
// device's port handed to the I/O layer, which turns the connection into a WebSocket on it.
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/terminal/terminal_access.hpp"

namespace ads_sim::console {

reply open_device_terminal(request_context& c) {
  const std::string& dsn = c.params.at(0);
  const auto device = c.storage().devices().find_device_by_dsn(dsn);
  const auto token = c.request.query_param(terminal::csrf_parameter);
  const auto upgrade = c.request.header("Upgrade");
  auto port = c.state().terminals->find(dsn);
  const terminal::upgrade_facts facts{
      c.account().role,
      c.account().oem_id,
      c.request.header("Origin"),
      c.request.header("Host").value_or(""),
      token && console_auth::csrf_token_matches(*c.session, *token),
      device ? std::optional<std::string_view>(device->oem_id) : std::nullopt,
      upgrade && iequals(*upgrade, "websocket"),
      port != nullptr,
  };
  if (auto refused = terminal::refuse_terminal(facts)) return std::move(*refused);
  return open_terminal{dsn, std::move(port)};
}

}  // namespace ads_sim::console
