#include "ads_sim/terminal/terminal_access.hpp"

#include <string>

namespace ads_sim::terminal {

std::optional<http_error> refuse_terminal(const upgrade_facts& facts) {
  if (!facts.origin || *facts.origin != "https://" + std::string(facts.host))
    return http_error{403, "the terminal opens from the console's own pages only"};
  if (!facts.csrf_matches) return http_error{403, "missing or wrong CSRF token"};
  if (!facts.device_oem) return http_error{404, "unknown device"};
  if (facts.role != account_role::module_maker && *facts.device_oem != facts.account_oem)
    return http_error{403, "another OEM's device"};
  if (!facts.websocket_upgrade) return http_error{426, "the terminal is a WebSocket: ask to upgrade"};
  if (!facts.port_running)
    return http_error{503, "no terminal: this device's module does not run in the service's process"};
  return std::nullopt;
}

}  // namespace ads_sim::terminal
