#pragma once
// host_port: one way a host reaches the module's AT port (pseudo-TTY, serial device, TCP client). The runtime
// writes the module's output to every open port and hears the host's bytes and closes through host_events.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace pty_bridge {

struct host_events {
  std::function<void(std::string_view bytes)> received;  // bytes the host typed, in order
  std::function<void()> closed;                          // the host let go of the port: drop its half-typed line
  std::function<void()> drained;                         // everything queued for the host has been written
};

class host_port {
 public:
  virtual ~host_port() = default;
  virtual void send(std::string_view bytes) = 0;  // module -> host; never blocks
  virtual bool idle() const = 0;                  // nothing queued for the host
  virtual std::string describe() const = 0;       // the ready-line words: "pty /dev/pts/3 link /tmp/ttySIM7600"
};

// Opening a port either gives the port or says why not (errors are values at the edge).
template <typename Port>
using open_result = common::outcome<std::shared_ptr<Port>>;

}  // namespace pty_bridge
