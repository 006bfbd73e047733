#pragma once
// socket_transport: the module's TCP/IP service (agent::socket_service) over real sockets. Each socket the core
// opens is one connection object named by its socket_id; results go back to the core by that id. Connect has
// the deadline the core gave; reading a TCP socket stops while the core's receive buffer for it is full.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "agent/socket_service.hpp"
#include "emulator/tcp_edge.hpp"

namespace sim7600_emu {

class socket_transport final : public agent::socket_port {
 public:
  // `service` finds the module's socket service (it is re-made by a power cut); `after_event` runs after every
  // event handed to it, so the runtime can deliver the output it caused.
  socket_transport(boost::asio::any_io_executor executor, std::function<agent::socket_service*()> service,
                   std::function<void()> after_event);
  ~socket_transport() override;

  void open(agent::socket_id id, agent::socket_protocol protocol, agent::socket_endpoint remote,
            std::uint16_t local_port, std::chrono::milliseconds timeout) override;
  void send(agent::socket_id id, std::string bytes, std::optional<agent::socket_endpoint> to) override;
  void close(agent::socket_id id) override;
  void resume_receiving(agent::socket_id id) override;
  void resolve(std::uint64_t query, std::string host) override;
  // Every socket closed at once, nothing reported (a power cut).
  void close_all();

  class connection;

 private:
  void forget(agent::socket_id id);  // a socket that closed itself (failed open, lost peer)
  // Hands one event to the socket service (if the module is there) and delivers its output.
  void report(const std::function<void(agent::socket_service&)>& event);

  boost::asio::any_io_executor executor_;
  std::function<agent::socket_service*()> service_;
  std::function<void()> after_event_;
  connection_table<agent::socket_id, connection> connections_;
  friend class connection;
};

}  // namespace sim7600_emu
