#pragma once
// output_pacer: lets bytes out at a UART's rate — baud/10 bytes a second (start bit, 8 data bits, stop bit) — as
// a transmitter with a FIFO of two slices (~20 ms of line time) that the I/O layer tops up whenever one slice is
// free. The slice it keeps in hand covers a timer that fires late: the line only idles when the host side has
// nothing to send, so a long transfer runs at the line rate, as on the real wire. Sans-I/O: the caller passes the
// time; the I/O layer arms a steady_timer for wait().
#include <chrono>
#include <cstddef>

namespace pty_bridge {

class output_pacer {
 public:
  using clock = std::chrono::steady_clock;

  output_pacer(unsigned baud, clock::time_point now);

  // Bytes that may be written at `now` (the FIFO's free space, at most two slices); spend() what was written.
  std::size_t allowance(clock::time_point now);
  void spend(std::size_t bytes);
  // How long until a whole slice of the FIFO is free (zero when it already is).
  clock::duration wait(clock::time_point now) const;

  std::size_t slice() const { return slice_; }
  std::size_t fifo_size() const { return 2 * slice_; }
  double bytes_per_second() const { return bytes_per_second_; }

 private:
  double free_at(clock::time_point now) const;

  double bytes_per_second_;
  std::size_t slice_;  // ~10 ms of line time: small enough to look like a stream, large enough to be cheap
  double free_;        // free bytes in the FIFO at last_
  clock::time_point last_;
};

}  // namespace pty_bridge
