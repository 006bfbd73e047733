#include "ads_sim/terminal/port_directory.hpp"

namespace ads_sim::terminal {

void port_directory::add(std::string_view dsn, std::weak_ptr<terminal_port> port) {
  std::lock_guard lock(mutex_);
  ports_.insert_or_assign(std::string(dsn), std::move(port));
}

void port_directory::remove(std::string_view dsn) {
  std::lock_guard lock(mutex_);
  if (const auto found = ports_.find(dsn); found != ports_.end()) ports_.erase(found);
}

std::shared_ptr<terminal_port> port_directory::find(std::string_view dsn) const {
  std::lock_guard lock(mutex_);
  const auto found = ports_.find(dsn);
  return found == ports_.end() ? nullptr : found->second.lock();
}

}  // namespace ads_sim::terminal
