#pragma once
// terminal_port: a module's AT port as the console's terminal sees it — the interface between ads-sim (a library
// that knows nothing of the emulator) and a module running in the same process, which offers one per DSN
// through a port_directory. A viewer attaches with a sink; the port calls the sink on the module's thread, so a
// sink only hands the bytes to its own thread and returns.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ads_sim/terminal/writer_seat.hpp"

namespace ads_sim::terminal {

struct viewer_sink {
  std::function<void(std::string_view bytes)> output;  // everything the module writes, in order
  std::function<void(role now)> role_changed;           // the first role on attach, then each change
  std::function<void()> port_closed;                    // the module went away: no more output
};

// One viewer's hold on a port; destroying it detaches (and passes the writer's seat on).
class viewer {
 public:
  virtual ~viewer() = default;
  // Bytes typed in the browser, as a host would type them on the AT port; false (and ignored) unless this viewer
  // holds the writer's seat.
  virtual bool type(std::string_view bytes) = 0;
};

class terminal_port {
 public:
  virtual ~terminal_port() = default;
  // From any thread.
  virtual std::unique_ptr<viewer> attach(viewer_sink sink) = 0;
};

}  // namespace ads_sim::terminal
