#pragma once
// tcp_port: the AT port served on TCP (--tcp HOST:PORT), for containers and remote rigs. One client at a time,
// like one cable on a UART: a second client is told "busy" and closed; the client going away is a host close.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "pty_bridge/host_port.hpp"

namespace pty_bridge {

class tcp_session;

class tcp_port : public host_port, public std::enable_shared_from_this<tcp_port> {
 public:
  // `host_port_text` is "HOST:PORT" (port 0 picks a free one; describe() tells which).
  static open_result<tcp_port> open(boost::asio::io_context& io, const std::string& host_port_text,
                                    host_events events);
  ~tcp_port() override;

  void send(std::string_view bytes) override;
  bool idle() const override;
  std::string describe() const override;
  void close();

 private:
  tcp_port(boost::asio::io_context& io, host_events events);
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void on_session_closed(unsigned generation);

  boost::asio::ip::tcp::acceptor acceptor_;
  host_events events_;
  std::shared_ptr<tcp_session> client_;
  unsigned client_generation_ = 0;  // which client a late close report is about
};

}  // namespace pty_bridge
