#pragma once
// Fake ports for apca::service tests (also used by the AT+ADA table tests): timers and saves complete only
// when the test says so, URCs are recorded.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "apca/ports.hpp"
#include "apca/service.hpp"

namespace apca_test {

struct fake_timers : apca::timer_port {
  std::map<apca::timer_id, std::chrono::milliseconds> armed;
  void start_timer(apca::timer_id id, std::chrono::milliseconds after) override { armed[id] = after; }
  void cancel_timer(apca::timer_id id) override { armed.erase(id); }
};

struct fake_clock : apca::clock_port {
  std::int64_t now = 1'700'000'000;
  std::int64_t unix_seconds() override { return now; }
};

struct recorded_urcs : apca::urc_sink {
  std::vector<std::string> lines;
  void urc(std::string line) override { lines.push_back(std::move(line)); }
  std::vector<std::string> take() { return std::exchange(lines, {}); }
};

// A UDP path that records what is sent; the test hands datagrams to `to` as the peer's.
struct fake_udp : apca::udp_port {
  receiver* to = nullptr;
  std::string host;
  std::uint16_t port = 0;
  bool open_now = false;
  std::deque<std::string> sent;
  void set_receiver(receiver* r) override { to = r; }
  void open(const std::string& h, std::uint16_t p) override {
    host = h;
    port = p;
    open_now = true;
  }
  void send(std::string datagram) override { sent.push_back(std::move(datagram)); }
  void close() override { open_now = false; }

  std::string take() {  // the oldest datagram sent; "" when none
    if (sent.empty()) return {};
    std::string next = std::move(sent.front());
    sent.pop_front();
    return next;
  }
};

// Saves wait in order until finish_save(ok); `stored` is the last image saved with ok.
struct fake_nv : apca::nv_port {
  struct pending_save {
    config_store::nv_image image;
    std::function<void(bool)> done;
  };
  std::deque<pending_save> pending;
  config_store::nv_image stored;
  std::vector<config_store::nv_image> every_image_saved;

  void save(const config_store::nv_image& image, std::function<void(bool ok)> done) override {
    every_image_saved.push_back(image);
    pending.push_back({image, std::move(done)});
  }
  void finish_save(bool ok) {
    auto save = std::move(pending.front());
    pending.pop_front();
    if (ok) stored = save.image;
    save.done(ok);
  }
  void finish_all(bool ok = true) {
    while (!pending.empty()) finish_save(ok);
  }
};

// A service wired to the fakes.
struct service_rig {
  fake_timers timers;
  fake_clock clock;
  recorded_urcs urcs;
  fake_nv nv;
  apca::service service;

  int reboots = 0;

  explicit service_rig(config_store::nv_image image = {}, apca::cloud_port* cloud = nullptr)
      : service(apca::service_ports{timers, clock, urcs, nv, cloud, [this] { ++reboots; }}, std::move(image)) {}
};

}  // namespace apca_test
