#include "pty_bridge/output_pacer.hpp"

#include <algorithm>
#include <cmath>

namespace pty_bridge {

output_pacer::output_pacer(unsigned baud, clock::time_point now)
    : bytes_per_second_(std::max(1u, baud) / 10.0),
      slice_(std::max<std::size_t>(1, static_cast<std::size_t>(bytes_per_second_ / 100))),
      free_(static_cast<double>(fifo_size())),
      last_(now) {}

// The line drains the FIFO at the line rate; an empty FIFO stays empty (an idle line banks nothing).
double output_pacer::free_at(clock::time_point now) const {
  if (now <= last_) return free_;
  const double drained = std::chrono::duration<double>(now - last_).count() * bytes_per_second_;
  return std::min(static_cast<double>(fifo_size()), free_ + drained);
}

std::size_t output_pacer::allowance(clock::time_point now) {
  free_ = free_at(now);
  last_ = std::max(last_, now);
  return static_cast<std::size_t>(std::floor(free_));
}

void output_pacer::spend(std::size_t bytes) { free_ -= static_cast<double>(bytes); }

output_pacer::clock::duration output_pacer::wait(clock::time_point now) const {
  const double missing = static_cast<double>(slice_) - free_at(now);
  if (missing <= 0) return clock::duration::zero();
  return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(missing / bytes_per_second_)) +
         clock::duration(1);
}

}  // namespace pty_bridge
