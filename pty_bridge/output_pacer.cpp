#include "pty_bridge/output_pacer.hpp"

#include <algorithm>
#include <cmath>

namespace pty_bridge {

output_pacer::output_pacer(unsigned baud, clock::time_point now)
    : bytes_per_second_(std::max(1u, baud) / 10.0),
      slice_(std::max<std::size_t>(1, static_cast<std::size_t>(bytes_per_second_ / 100))),
      tokens_(static_cast<double>(slice_)),
      last_(now) {}

void output_pacer::refill(clock::time_point now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(static_cast<double>(slice_), tokens_ + elapsed * bytes_per_second_);
  last_ = now;
}

std::size_t output_pacer::allowance(clock::time_point now) {
  refill(now);
  return static_cast<std::size_t>(std::floor(tokens_));
}

void output_pacer::spend(std::size_t bytes) { tokens_ -= static_cast<double>(bytes); }

output_pacer::clock::duration output_pacer::wait(clock::time_point now) const {
  double tokens = tokens_;
  if (now > last_) tokens += std::chrono::duration<double>(now - last_).count() * bytes_per_second_;
  const double missing = static_cast<double>(slice_) - tokens;
  if (missing <= 0) return clock::duration::zero();
  return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(missing / bytes_per_second_)) +
         clock::duration(1);
}

}  // namespace pty_bridge
