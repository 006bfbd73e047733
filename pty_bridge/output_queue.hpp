#pragma once
// output_queue: bytes waiting for the host, bounded like a UART FIFO with nobody listening — when full, the
// oldest bytes are dropped, so a host that never reads can't make the module grow without limit or block.
#include <cstddef>
#include <string>
#include <string_view>

namespace pty_bridge {

class output_queue {
 public:
  explicit output_queue(std::size_t capacity);

  void push(std::string_view bytes);
  std::string_view front() const { return std::string_view(buffer_).substr(head_); }
  void consume(std::size_t count);

  std::size_t size() const { return buffer_.size() - head_; }
  bool empty() const { return size() == 0; }
  std::size_t dropped() const { return dropped_; }  // bytes lost to the bound since start

 private:
  std::size_t capacity_;
  std::string buffer_;
  std::size_t head_ = 0;  // consumed prefix, compacted lazily so consume() is cheap
  std::size_t dropped_ = 0;
};

}  // namespace pty_bridge
