#include "agent/sms_store.hpp"

namespace agent {

std::optional<int> sms_store::add(sms_message message) {
  for (int index = 1; index <= capacity_; ++index) {
    if (!messages_.contains(index)) {
      messages_.emplace(index, std::move(message));
      return index;
    }
  }
  return std::nullopt;
}

sms_message* sms_store::find(int index) {
  auto it = messages_.find(index);
  return it == messages_.end() ? nullptr : &it->second;
}

bool sms_store::erase(int index) { return messages_.erase(index) > 0; }

}  // namespace agent
