#pragma once
// The one set of fakes for apca/ports.hpp, shared by the unit tests and the fuzz harnesses: timers fired by the
// caller, a settable clock, NV saves completed when the caller says (or at once), recorded URCs, a recording UDP
// path. No Catch here (fuzz/ links it too): a fake used wrongly (firing a timer that is not armed, finishing a save
// none asked for) throws std::logic_error, which fails the test case that did it.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "apca/ports.hpp"

namespace test_support {

// Armed timers with their delays; the caller fires them.
class fake_timers : public apca::timer_port {
 public:
  std::map<apca::timer_id, std::chrono::milliseconds> armed;

  void start_timer(apca::timer_id id, std::chrono::milliseconds after) override { armed[id] = after; }
  void cancel_timer(apca::timer_id id) override { armed.erase(id); }

  // Disarms `id`, which must be armed, and lets `target` handle its expiry.
  template <class Target>
  void fire(apca::timer_id id, Target& target) {
    disarm(id);
    target.on_timer(id);
  }
  void disarm(apca::timer_id id);  // throws when `id` is not armed
  // Disarms the `n`th armed timer (modulo how many are armed) and returns it in `id`; false when none is armed.
  bool take(unsigned n, apca::timer_id& id);
};

// The module's RTC, in unix seconds; the caller moves it.
class fake_clock : public apca::clock_port {
 public:
  explicit fake_clock(std::int64_t start = 1'700'000'000) : now(start) {}  // 2023-11-14 22:13:20 UTC
  std::int64_t now;
  std::int64_t unix_seconds() override { return now; }
};

// When a fake_nv's saves become durable: when the caller finishes them, or at once (as a fast flash would).
enum class nv_saves { when_told, at_once };

// NV memory. Saves wait, in order, until finish_save(ok) (or complete at once with `auto_complete`); `stored` is
// the last image saved with ok.
class fake_nv : public apca::nv_port {
 public:
  struct pending_save {
    config_store::nv_image image;
    std::function<void(bool)> done;
  };
  explicit fake_nv(nv_saves saves = nv_saves::when_told) : auto_complete(saves == nv_saves::at_once) {}

  bool auto_complete;
  std::deque<pending_save> pending;  // oldest first
  config_store::nv_image stored;
  std::vector<config_store::nv_image> every_image_saved;

  void save(const config_store::nv_image& image, std::function<void(bool ok)> done) override;
  void finish_save(bool ok);  // the oldest pending save; throws when none is pending
  void finish_all(bool ok = true);
};

// URC lines as the core emitted them.
class recorded_urcs : public apca::urc_sink {
 public:
  std::vector<std::string> lines;
  void urc(std::string line) override { lines.push_back(std::move(line)); }
  std::vector<std::string> take() { return std::exchange(lines, {}); }
};

// A UDP path that records what is sent; the caller hands datagrams to `to` as the peer's.
class fake_udp : public apca::udp_port {
 public:
  receiver* to = nullptr;
  std::string host;
  std::uint16_t port = 0;
  bool open_now = false;
  std::deque<std::string> sent;

  void set_receiver(receiver* r) override { to = r; }
  void open(const std::string& h, std::uint16_t p) override;
  void send(std::string datagram) override { sent.push_back(std::move(datagram)); }
  void close() override { open_now = false; }
  std::string take();  // the oldest datagram sent; "" when none
};

}  // namespace test_support
