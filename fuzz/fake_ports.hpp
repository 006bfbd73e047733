#pragma once
// Ports for the sans-I/O cores under a fuzzer: timers and NV saves wait until the input says to complete them,
// cloud requests wait for an answer the input supplies. Nothing here asserts: the harness decides what is a bug.
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "apca/cloud_port.hpp"
#include "apca/ports.hpp"

namespace fuzz {

class fake_timers : public apca::timer_port {
 public:
  void start_timer(apca::timer_id id, std::chrono::milliseconds after) override { armed_[id] = after; }
  void cancel_timer(apca::timer_id id) override { armed_.erase(id); }

  // Disarms the `n`th armed timer (modulo how many are armed) and returns it; false when none is armed.
  bool take(unsigned n, apca::timer_id& id) {
    if (armed_.empty()) return false;
    auto it = armed_.begin();
    std::advance(it, n % armed_.size());
    id = it->first;
    armed_.erase(it);
    return true;
  }

 private:
  std::map<apca::timer_id, std::chrono::milliseconds> armed_;
};

class fake_clock : public apca::clock_port {
 public:
  std::int64_t now = 1700000000;
  std::int64_t unix_seconds() override { return now; }
};

class fake_nv : public apca::nv_port {
 public:
  void save(const config_store::nv_image& image, std::function<void(bool ok)> done) override {
    pending_.emplace_back(image, std::move(done));
  }
  // Completes the oldest save (as the runtime's worker would); false when none is pending.
  bool complete_next(bool ok) {
    if (pending_.empty()) return false;
    auto next = std::move(pending_.front());
    pending_.pop_front();
    next.second(ok);
    return true;
  }

 private:
  std::deque<std::pair<config_store::nv_image, std::function<void(bool)>>> pending_;
};

// Requests wait in order; the harness answers the oldest with bytes from the input.
class fake_cloud : public apca::cloud_port {
 public:
  void set_answers(apca::cloud_answers* answers) override { answers_ = answers; }
  void set_server_name(const std::string&) override {}
  void request(apca::cloud_request_id id, apca::cloud_channel, ads_client::http_request,
               std::chrono::milliseconds) override {
    pending_.push_back(id);
  }
  void disconnect() override {
    // As the real transport: pending requests end with a transport error, later (never inside disconnect()).
    for (auto id : pending_) dropped_.push_back(id);
    pending_.clear();
  }
  bool answer_next(ads_client::http_outcome outcome) {
    auto& queue = dropped_.empty() ? pending_ : dropped_;
    if (queue.empty()) return false;
    const apca::cloud_request_id id = queue.front();
    queue.pop_front();
    if (&queue == &dropped_) outcome = ads_client::transport_error{"disconnected"};
    if (answers_) answers_->on_response(id, std::move(outcome));
    return true;
  }

 private:
  apca::cloud_answers* answers_ = nullptr;
  std::deque<apca::cloud_request_id> pending_;
  std::deque<apca::cloud_request_id> dropped_;
};

// "<status digit><body>" -> a response: the digit picks a status the device protocol uses (9: no answer at all).
inline ads_client::http_outcome response_from(std::string_view record) {
  static constexpr int statuses[] = {200, 201, 204, 206, 400, 401, 403, 404, 500};
  if (record.empty()) return ads_client::transport_error{"timed out"};
  const int digit = record.front() - '0';
  if (digit < 0 || digit >= static_cast<int>(std::size(statuses))) return ads_client::transport_error{"timed out"};
  ads_client::http_response response;
  response.status = statuses[digit];
  response.headers["content-type"] = "application/json";
  response.body = std::string(record.substr(1));
  return response;
}

}  // namespace fuzz
