#include "ads_sim/terminal/writer_seat.hpp"

#include <algorithm>

namespace ads_sim::terminal {

role writer_seat::join(viewer_id viewer) {
  if (!writer_) {
    writer_ = viewer;
    return role::writer;
  }
  readers_.push_back(viewer);
  return role::reader;
}

std::optional<viewer_id> writer_seat::leave(viewer_id viewer) {
  if (writer_ != viewer) {
    std::erase(readers_, viewer);
    return std::nullopt;
  }
  writer_.reset();
  if (readers_.empty()) return std::nullopt;
  writer_ = readers_.front();
  readers_.pop_front();
  return writer_;
}

}  // namespace ads_sim::terminal
