#pragma once
// port_directory: the terminal ports of the modules running in the service's process, by DSN. The emulator adds
// its module's port when it embeds the service; a separate ads-sim has none, and the console says so.
// Thread-safe: ports come and go on the module's thread, the console looks them up on its own.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "ads_sim/terminal/terminal_port.hpp"

namespace ads_sim::terminal {

class port_directory {
 public:
  void add(std::string_view dsn, std::weak_ptr<terminal_port> port);
  void remove(std::string_view dsn);
  std::shared_ptr<terminal_port> find(std::string_view dsn) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::weak_ptr<terminal_port>, std::less<>> ports_;
};

}  // namespace ads_sim::terminal
