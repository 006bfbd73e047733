#pragma once
// control_client: one blocking request to the daemon's control API, over its Unix socket or loopback TCP with the
// bearer token, with a deadline.
#include <chrono>
#include <string>

#include "common/result.hpp"
#include "control/command_line.hpp"

namespace sim7600_ctl {

// The daemon's HTTP answer.
struct control_reply {
  int status = 0;
  std::string body;
};

// The answer, or why there was none (the daemon could not be reached, or the exchange failed).
common::outcome<control_reply> call_control(const control_endpoint& endpoint,
                                            const sim7600_control::control_request& request,
                                            std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace sim7600_ctl
