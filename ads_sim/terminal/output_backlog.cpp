#include "ads_sim/terminal/output_backlog.hpp"

namespace ads_sim::terminal {

bool output_backlog::push(frame_kind kind, std::string_view bytes) {
  if (bytes_ + bytes.size() > limit_) return false;
  bytes_ += bytes.size();
  frames_.push_back({kind, std::string(bytes)});
  return true;
}

void output_backlog::pop() {
  bytes_ -= frames_.front().bytes.size();
  frames_.pop_front();
}

}  // namespace ads_sim::terminal
