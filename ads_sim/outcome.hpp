#pragma once
// outcome: what the service core gives the I/O layer for a request — an answer now, no answer at all, or "answer
// later": slow work to do off the core's lock, after which the request is handled again with its result.
#include <chrono>
#include <memory>
#include <string>
#include <optional>
#include <variant>
#include <vector>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/console/password_hash.hpp"
#include "ads_sim/http_message.hpp"
#include "ads_sim/terminal/terminal_port.hpp"

namespace ads_sim {

using clock_time = std::chrono::system_clock::time_point;

// Close the connection without answering: an injected network fault (see fault_plan).
struct drop_connection {};

// Answer later: the request needs `count` fresh RSA key pairs (about 0.3 s each). The I/O layer makes them off
// the core's lock and the I/O thread, then handles the request again with them (prepared_inputs::keys).
struct need_keys {
  int count = 0;
};

// Answer later: a console request needs a password hashed or checked (PBKDF2, about 0.3 s). The I/O layer does
// it off the core's lock with console::do_password_work, then handles the request again with the result.
struct need_password {
  console::password_work work;
};

// Upgrade the connection to a WebSocket on a module's terminal port (the console's terminal): every check passed.
struct open_terminal {
  std::string dsn;
  std::shared_ptr<terminal::terminal_port> port;
};

// What the I/O layer prepared because the core asked for it.
struct prepared_inputs {
  std::vector<ads_client::rsa_key> keys;
  std::optional<console::password_result> password;
};

using outcome = std::variant<http_response, drop_connection, need_keys, need_password, open_terminal>;

}  // namespace ads_sim
