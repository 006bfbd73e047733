#include "tests/support/fake_cloud.hpp"

#include <stdexcept>

namespace test_support {

std::optional<std::string> sent_request::header(const std::string& name) const {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return std::nullopt;
}

void fake_cloud::request(apca::cloud_request_id id, apca::cloud_channel channel, ads_client::http_request request,
                         std::chrono::milliseconds) {
  every_request.emplace_back(channel, request);
  requests.push_back({id, channel, std::move(request), [this, id](ads_client::http_outcome outcome) {
                        if (answers) answers->on_response(id, std::move(outcome));
                      }});
}

void fake_cloud::disconnect() {
  ++disconnects;
  for (auto& waiting : requests) waiting.dropped = true;
}

sent_request fake_cloud::take() {
  if (requests.empty()) throw std::logic_error("fake_cloud: no request is waiting");
  sent_request next = std::move(requests.front());
  requests.pop_front();
  return next;
}

sent_request fake_cloud::take(apca::cloud_channel channel) {
  for (auto it = requests.begin(); it != requests.end(); ++it) {
    if (it->channel == channel) {
      sent_request next = std::move(*it);
      requests.erase(it);
      return next;
    }
  }
  throw std::logic_error("fake_cloud: no request on that channel");
}

}  // namespace test_support
