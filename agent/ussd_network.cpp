#include "agent/ussd_network.hpp"

namespace agent {

ussd_answer ussd_network::request(const std::string& text) {
  const std::string path = session_ ? *session_ + level_separator + text : text;
  session_.reset();
  auto it = entries_.find(path);
  if (it == entries_.end()) return {.m = 4};
  if (it->second.menu) session_ = path;
  return {.m = it->second.menu ? 1 : 0, .text = it->second.text};
}

}  // namespace agent
