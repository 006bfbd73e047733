#pragma once
// A client of the emulator's control API (SPEC §7): HTTP/1.1 with JSON bodies on the Unix socket
// <state-dir>/control.sock; each verb is `POST /v1/<verb>` with {"args":[...]}, `state` is `GET /v1/state`.
// Kept small on purpose: it was written against the specification before the control API existed.
#include <chrono>
#include <string>

namespace scenario {

struct control_reply {
  int status = 0;      // 0: no HTTP answer (see body)
  std::string body;    // the JSON body, or why there was no answer
};

// `world_line` is what a scenario writes: "coverage lost", "signal 10 99", "state".
control_reply control_call(const std::string& socket_path, const std::string& world_line,
                           std::chrono::milliseconds deadline);

// Sans-I/O halves, tested alone: the request for a world line, and the status and body of a whole response.
std::string control_request_for(const std::string& world_line);
control_reply parse_http_response(const std::string& raw);

}  // namespace scenario
