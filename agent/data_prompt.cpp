#include "agent/data_prompt.hpp"

#include <algorithm>

namespace agent {

data_collector::data_collector(const data_prompt& prompt) : length_(prompt.length), max_length_(prompt.max_length) {}

std::size_t data_collector::push(std::string_view input) {
  if (finished_) return 0;
  if (length_) {
    const std::size_t take = std::min(input.size(), *length_ - block_.bytes.size());
    block_.bytes.append(input.substr(0, take));
    finished_ = block_.bytes.size() == *length_;
    return take;
  }
  for (std::size_t used = 0; used < input.size(); ++used) {
    const char byte = input[used];
    if (byte == ctrl_z || byte == escape) {
      finished_ = true;
      block_.how = byte == escape ? data_block::end::cancelled
                   : overflowed_  ? data_block::end::too_long
                                  : data_block::end::complete;
      if (block_.how != data_block::end::complete) block_.bytes.clear();
      return used + 1;
    }
    if (block_.bytes.size() < max_length_) {
      block_.bytes += byte;
    } else {
      overflowed_ = true;
    }
  }
  return input.size();
}

}  // namespace agent
