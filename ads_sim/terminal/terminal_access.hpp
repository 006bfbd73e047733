#pragma once
// terminal_access: whether a signed-in console account may open a device's terminal, sans-I/O. The upgrade is a
// GET, which the router lets through without CSRF, so the terminal checks what a change would: the page's own
// origin (a WebSocket is not held to the same-origin rule) and the session's CSRF token, sent as a query
// parameter because a browser's WebSocket cannot add headers. Then the device: the caller's OEM's, or any for
// the module maker; then a real upgrade; then a module running in this process to connect to.
#include <optional>
#include <string_view>

#include "ads_sim/api_result.hpp"
#include "ads_sim/store/store.hpp"

namespace ads_sim::terminal {

inline constexpr std::string_view csrf_parameter = "csrf";

struct upgrade_facts {
  account_role role = account_role::oem;
  std::string_view account_oem;                // "" for the module maker
  std::optional<std::string_view> origin;      // the Origin header
  std::string_view host;                       // the Host header the browser sent
  bool csrf_matches = false;                   // the csrf parameter is the session's token
  std::optional<std::string_view> device_oem;  // nullopt: no such device
  bool websocket_upgrade = false;              // Upgrade: websocket
  bool port_running = false;                   // a module with the DSN runs in this process
};

// The refusal, or nullopt when the terminal may open.
std::optional<http_error> refuse_terminal(const upgrade_facts& facts);

}  // namespace ads_sim::terminal
