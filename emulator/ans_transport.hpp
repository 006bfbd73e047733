#pragma once
// ans_transport: the APCA core's UDP path to the ANS notifier — one Asio UDP socket on the runtime's io_context,
// aimed at the host and port GET /dsns named. Datagrams from any other address are dropped.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>

#include "apca/ports.hpp"

namespace sim7600_emu {

class ans_transport final : public apca::udp_port {
 public:
  // `after_receive` runs after every datagram handed to the core, so the runtime can deliver the output it caused.
  ans_transport(boost::asio::any_io_executor executor, std::function<void()> after_receive);
  ~ans_transport() override;

  void set_receiver(receiver* to) override { receiver_ = to; }
  void open(const std::string& host, std::uint16_t port) override;
  void send(std::string datagram) override;
  void close() override;
  // The cloud is a blackhole (control API `cloud blackhole`): datagrams vanish both ways.
  void set_blackhole(bool on) { blackhole_ = on; }

 private:
  void do_receive(std::uint64_t generation);
  void send_now(std::string datagram);

  boost::asio::any_io_executor executor_;
  std::function<void()> after_receive_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::resolver resolver_;
  boost::asio::ip::udp::endpoint peer_;
  boost::asio::ip::udp::endpoint sender_;
  std::array<char, 2048> buffer_{};
  bool resolved_ = false;
  std::deque<std::string> unsent_;  // asked before the name resolved (a registration, at most a few)
  receiver* receiver_ = nullptr;
  bool blackhole_ = false;
  std::uint64_t generation_ = 0;  // bumped by open() and close(): completions of an older socket are dropped
};

}  // namespace sim7600_emu
