#include "pty_bridge/output_queue.hpp"

#include <algorithm>

namespace pty_bridge {

output_queue::output_queue(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void output_queue::push(std::string_view bytes) {
  if (bytes.size() >= capacity_) {
    dropped_ += size() + bytes.size() - capacity_;
    buffer_.assign(bytes.substr(bytes.size() - capacity_));
    head_ = 0;
    return;
  }
  const std::size_t overflow = size() + bytes.size() > capacity_ ? size() + bytes.size() - capacity_ : 0;
  consume(overflow);
  dropped_ += overflow;
  buffer_.append(bytes);
}

void output_queue::consume(std::size_t count) {
  head_ += std::min(count, size());
  if (head_ == buffer_.size()) {
    buffer_.clear();
    head_ = 0;
  } else if (head_ > buffer_.size() / 2) {
    buffer_.erase(0, head_);
    head_ = 0;
  }
}

}  // namespace pty_bridge
