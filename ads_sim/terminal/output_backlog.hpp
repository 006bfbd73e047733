#pragma once
// output_backlog: what one terminal viewer has still to be sent, bounded, sans-I/O. A viewer whose connection
// cannot keep up with the module is dropped (overflowed) rather than kept with memory growing without bound.
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace ads_sim::terminal {

enum class frame_kind {
  output,  // the module's bytes (a binary WebSocket message)
  notice,  // a JSON line about the terminal itself: the viewer's role, a refusal (a text message)
};

struct frame {
  frame_kind kind;
  std::string bytes;
};

class output_backlog {
 public:
  explicit output_backlog(std::size_t limit) : limit_(limit) {}

  // False (and the bytes dropped) when they would take the backlog past its limit: the viewer fell too far behind.
  bool push(frame_kind kind, std::string_view bytes);
  bool empty() const { return frames_.empty(); }
  const frame& front() const { return frames_.front(); }
  void pop();
  std::size_t bytes() const { return bytes_; }

 private:
  std::size_t limit_;
  std::size_t bytes_ = 0;
  std::deque<frame> frames_;
};

}  // namespace ads_sim::terminal
