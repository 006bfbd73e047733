#pragma once
// link_state: where the host's cloud link stands (SPEC §3: enable/RDY, disable with drain and rewake, the status
// code) as one value, and the one function that moves it. Every state the agent can be in is a row here; an event
// that means nothing in a state leaves it where it is, so no illegal state can be reached.
#include <string_view>

namespace apca {

enum class link_state {
  disabled,        // the host has not enabled the cloud, or disabled it
  draining,        // "disable" waits for queued sends before "disable","ok"
  connecting,      // enabled, the first connection is under way: "enable","RDY" once up
  rewaking,        // reconnecting after "disable",<secs>: "disable","rewake" once up
  connect_failed,  // the first connection failed (said once, net error); still trying, RDY once up
  rewake_failed,   // the rewake connection failed (said once, net error); still trying, rewake once up
  refused,         // the credentials were refused before the first connection (said, conf error); RDY once up
  rewake_refused,  // the credentials were refused while rewaking (said, conf error); rewake once up
  online,          // connected: status 0, or 1 while the host listens
  lost,            // was connected and is not now (net error); nothing new to announce when back
  lost_refused,    // was connected, then the credentials were refused (conf error)
};

enum class link_event {
  enable,          // AT+ADA="enable"
  disable,         // AT+ADA="disable" with nothing left to send
  disable_after_sends,  // AT+ADA="disable" while sends are queued on a live connection
  drained,         // the last queued send of a draining disable went out
  rewake,          // the "disable",<secs> timer fired
  up,              // the connection came up
  failed,          // a connection could not be made, or broke
  refused,         // the service refused the credentials (or the config cannot work)
  network_lost,    // the data call or the clock went: the connection is suspended, not failed
  stop,            // the service stopped or the module rebooted
};

link_state next_link_state(link_state from, link_event event);

// What the host is told when the connection comes up in `state`: "RDY", "rewake", or nothing new.
enum class link_greeting { none, ready, rewake };
link_greeting greeting_of(link_state state);

bool link_enabled(link_state state);  // the host wants a connection (any state but disabled and draining)
// An error was already said to the host for this enable: a further failure is not said again.
bool link_error_said(link_state state);
// The credentials were refused: no new connection until the host enables again (the session still retries).
bool link_refused(link_state state);

// What AT+ADA="status" reports: code 0 connected, 1 listening, 3 error, 8 busy, 15 not connected; reason 0 none
// (not printed), 1 conf error, 2 time error, 3 net error.
struct connection_status {
  int code = 15;
  int reason = 0;
  bool operator==(const connection_status&) const = default;
};
// The status while enabled and nothing outside the link (data call, clock, config) blocks it.
connection_status status_of(link_state state, bool listening);

std::string_view link_state_name(link_state state);  // for logs and test messages

}  // namespace apca
