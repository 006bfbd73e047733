#pragma once
// writer_seat: who of a module's terminal viewers may type, sans-I/O. One writer at a time: the first viewer in
// writes, later ones read; when the writer leaves, the viewer waiting longest takes the seat.
#include <cstdint>
#include <deque>
#include <optional>

namespace ads_sim::terminal {

enum class role { writer, reader };

using viewer_id = std::uint64_t;

class writer_seat {
 public:
  role join(viewer_id viewer);
  // The viewer that now writes because `viewer` left, if any.
  std::optional<viewer_id> leave(viewer_id viewer);
  bool may_write(viewer_id viewer) const { return writer_ == viewer; }
  bool empty() const { return !writer_ && readers_.empty(); }

 private:
  std::optional<viewer_id> writer_;
  std::deque<viewer_id> readers_;  // in the order they came
};

}  // namespace ads_sim::terminal
