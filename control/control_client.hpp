#pragma once
// control_client: one blocking request to the daemon's control API, over its Unix socket or loopback TCP with the
// bearer token, with a deadline.
#include <chrono>
#include <string>

#include "control/command_line.hpp"

namespace sim7600_ctl {

struct control_reply {
  int status = 0;     // 0: no HTTP answer (see error)
  std::string error;  // why there was no answer
  std::string body;
};

control_reply call_control(const control_endpoint& endpoint, const sim7600_control::control_request& request,
                           std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace sim7600_ctl
