#pragma once
// The one fake of apca::cloud_port (the device service as the core reaches it): requests wait, in order, until
// the caller answers them; nothing is sent anywhere. Tests answer with `done`; the fuzz harnesses with bytes from
// their input. Misuse (taking a request that is not there) throws std::logic_error.
#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "apca/cloud_port.hpp"

namespace test_support {

// One request the core made, waiting for its answer.
struct sent_request {
  apca::cloud_request_id id = 0;
  apca::cloud_channel channel = apca::cloud_channel::control;
  ads_client::http_request request;
  std::function<void(ads_client::http_outcome)> done;  // answers it by its id, as the real transport does
  bool dropped = false;  // disconnect() came after it: the real transport ends it with a transport error

  std::optional<std::string> header(const std::string& name) const;
};

class fake_cloud : public apca::cloud_port {
 public:
  explicit fake_cloud(apca::udp_port* notifier = nullptr) : udp_(notifier) {}

  std::deque<sent_request> requests;  // not answered yet (by take()), oldest first
  std::vector<std::pair<apca::cloud_channel, ads_client::http_request>> every_request;  // all of them, in order
  std::string server_name;
  int disconnects = 0;
  apca::cloud_answers* answers = nullptr;

  void set_answers(apca::cloud_answers* to) override { answers = to; }
  void set_server_name(const std::string& name) override { server_name = name; }
  void request(apca::cloud_request_id id, apca::cloud_channel channel, ads_client::http_request request,
               std::chrono::milliseconds deadline) override;
  void disconnect() override;  // the requests waiting are marked dropped; they stay until taken
  apca::udp_port* notifier() override { return udp_; }

  sent_request take();                              // the oldest; throws when none waits
  sent_request take(apca::cloud_channel channel);  // the oldest on `channel`; throws when none waits there

 private:
  apca::udp_port* udp_;
};

}  // namespace test_support
