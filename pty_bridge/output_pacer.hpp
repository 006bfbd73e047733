#pragma once
// output_pacer: a token bucket letting bytes out at a UART's rate — baud/10 bytes a second (start bit, 8 data
// bits, stop bit) — in small slices, so a host's receive buffer is exercised as on the real wire. Sans-I/O: the
// caller passes the time; the I/O layer arms a steady_timer for wait().
#include <chrono>
#include <cstddef>

namespace pty_bridge {

class output_pacer {
 public:
  using clock = std::chrono::steady_clock;

  output_pacer(unsigned baud, clock::time_point now);

  // Bytes that may be written at `now` (at most one slice); spend() what was actually written.
  std::size_t allowance(clock::time_point now);
  void spend(std::size_t bytes);
  // How long until a whole slice may be written (zero when it already may).
  clock::duration wait(clock::time_point now) const;

  std::size_t slice() const { return slice_; }
  double bytes_per_second() const { return bytes_per_second_; }

 private:
  void refill(clock::time_point now);

  double bytes_per_second_;
  std::size_t slice_;  // ~10 ms of line time: small enough to look like a stream, large enough to be cheap
  double tokens_;
  clock::time_point last_;
};

}  // namespace pty_bridge
