#pragma once
// service_limits: the bounds that keep ads-sim's memory and connections finite under load or abuse
// (PROTOCOL.md "Limits"). Defaults are what the program runs with; tests shrink them.
#include <chrono>
#include <cstddef>

namespace ads_sim {

struct service_limits {
  // Open connections at once; the next is accepted and closed at once (its TLS handshake fails).
  std::size_t max_connections = 1024;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds idle_timeout{120};  // a kept-alive connection waiting for its next request
  std::chrono::seconds header_timeout{10};  // from a request's first byte to its blank line
  std::chrono::seconds body_timeout{60};    // the body; also writing an answer and the TLS goodbye
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::size_t image_body_limit = 64 * 1024 * 1024;  // POST /api/v1/images
};

}  // namespace ads_sim
