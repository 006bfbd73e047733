#pragma once
// ntp_transport: AT+CNTP's queries (agent::ntp_client) over a real UDP socket — the server's name resolved on the
// loop, the request sent to its NTP port, and each datagram from that address handed back by query number. One
// query at a time; a new one (or stop) closes the socket of the last.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>

#include "agent/ntp_client.hpp"

namespace sim7600_emu {

class ntp_transport final : public agent::ntp_port {
 public:
  // `client` finds the module's NTP client (a power cut re-makes it); `after_event` runs after every event handed to
  // it, so the runtime can deliver the output it caused. `server_port` is 123 but for tests (--ntp-port).
  ntp_transport(boost::asio::any_io_executor executor, std::uint16_t server_port,
                std::function<agent::ntp_client*()> client, std::function<void()> after_event);
  ~ntp_transport() override;

  void ask(std::uint64_t query, std::string host, std::string request) override;
  void stop() override;

 private:
  void on_resolved(std::uint64_t generation, const boost::asio::ip::udp::endpoint& server, std::string request);
  void do_receive(std::uint64_t generation);
  // Hands one event to the client (if the module is there) and delivers its output.
  void report(const std::function<void(agent::ntp_client&)>& event);

  boost::asio::any_io_executor executor_;
  std::uint16_t server_port_;
  std::function<agent::ntp_client*()> client_;
  std::function<void()> after_event_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::resolver resolver_;
  boost::asio::ip::udp::endpoint server_;
  boost::asio::ip::udp::endpoint sender_;
  // Only while a query is in flight (a fleet holds thousands of idle modules): the request while it is being
  // sent, and room for an answer (48 bytes, a few hundred with extension fields).
  std::string request_;
  std::vector<char> buffer_;
  std::uint64_t query_ = 0;
  std::uint64_t generation_ = 0;  // bumped by ask() and stop(): completions of an older socket are dropped
};

}  // namespace sim7600_emu
