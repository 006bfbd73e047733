#pragma once
// ans_listener: ads-sim's ANS over UDP — one socket on HOST:PORT (Ayla's agents use 55055) feeding ans_core (a
// registration, which looks its device up in the store, on a thread that may block), and notify() (from any thread)
// sending a device its event packets when its queue changed.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.hpp"

#include "ads_sim/ans_core.hpp"
#include "ads_sim/service_core.hpp"

namespace ads_sim {

class ans_listener : public std::enable_shared_from_this<ans_listener> {
 public:
  // Told (unlocked, on the listener's strand) of every device heard from: registered and alive, or gone.
  using heard_callback = std::function<void(const ans_core::heard& heard)>;
  // Runs `work` on a thread that may block (false: it cannot, the service is stopping). A registration's `lookup`
  // reads the store, so it goes there, never on the I/O loop; without a runner it runs on the listener's strand.
  using blocking_runner = std::function<bool(std::function<void()> work)>;
  static common::outcome<std::shared_ptr<ans_listener>> open(boost::asio::io_context& io, const std::string& host,
                                                        std::uint16_t port, ans_core::device_lookup lookup,
                                                        heard_callback heard, blocking_runner run_blocking = {});
  ans_listener(boost::asio::io_context& io, ans_core::device_lookup lookup, heard_callback heard,
               blocking_runner run_blocking);

  std::uint16_t port() const { return port_; }
  void start();
  void stop();
  void notify(std::int64_t device_key);
  void notify_all();  // every device registered here

 private:
  void do_receive();
  // One packet through the core (under its lock), its answer sent and whom it heard told on the strand.
  void on_packet(const std::string& packet, const std::string& from);
  void send(datagram packet);
  std::uint32_t now_ms() const;

  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint sender_;
  std::array<char, 2048> buffer_{};
  std::uint16_t port_ = 0;
  std::mutex mutex_;  // guards core_
  ans_core core_;
  heard_callback heard_;
  blocking_runner run_blocking_;
  std::chrono::steady_clock::time_point epoch_ = std::chrono::steady_clock::now();
};

}  // namespace ads_sim
