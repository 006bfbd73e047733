#include "pty_bridge/tcp_port.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <iostream>

#include "pty_bridge/output_queue.hpp"

namespace pty_bridge {

namespace asio = boost::asio;
using asio::ip::tcp;

// One connected client: reads its bytes, writes the module's output through one queue (a write is started when
// the queue goes from empty to not empty).
class tcp_session : public std::enable_shared_from_this<tcp_session> {
 public:
  tcp_session(tcp::socket socket, host_events events) : socket_(std::move(socket)), events_(std::move(events)) {}

  void start() { do_read(); }
  void send(std::string_view bytes) {
    if (!open_) return;
    const bool was_idle = queue_.empty();
    queue_.push(bytes);
    if (was_idle && !writing_) do_write();
  }
  bool idle() const { return queue_.empty(); }
  // A client that closed may not have been noticed yet when the next one connects (close, then reconnect at
  // once): if the peer has hung up, deliver its last bytes and report the close now. Returns whether it's gone.
  bool notice_hang_up() {
    if (!open_) return true;
    pollfd state{socket_.native_handle(), POLLRDHUP, 0};
    if (::poll(&state, 1, 0) <= 0 || !(state.revents & (POLLRDHUP | POLLHUP | POLLERR))) return false;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(socket_.native_handle(), buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
      if (events_.received) events_.received(std::string_view(buffer, static_cast<std::size_t>(n)));
    fail();
    return true;
  }
  void close() {
    if (!open_) return;
    open_ = false;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  void do_read() {
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                              self->on_read(ec, n);
                            });
  }
  void on_read(const boost::system::error_code& ec, std::size_t n) {
    if (ec) return fail();
    if (events_.received) events_.received(std::string_view(read_buffer_.data(), n));
    do_read();
  }
  void do_write() {
    writing_ = true;
    // The queue may drop its oldest bytes while a write is in flight, so send a copy of the front.
    in_flight_.assign(queue_.front());
    asio::async_write(socket_, asio::buffer(in_flight_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                        self->on_write(ec);
                      });
  }
  void on_write(const boost::system::error_code& ec) {
    writing_ = false;
    if (ec) return fail();
    queue_.consume(in_flight_.size());
    if (!queue_.empty()) return do_write();
    if (events_.drained) events_.drained();
  }
  void fail() {
    if (!open_) return;  // closed by us: quiet
    close();
    if (events_.closed) events_.closed();
  }

  tcp::socket socket_;
  host_events events_;
  std::array<char, 4096> read_buffer_{};
  output_queue queue_{1024 * 1024};
  std::string in_flight_;
  bool writing_ = false;
  bool open_ = true;
};

tcp_port::tcp_port(asio::io_context& io, host_events events) : acceptor_(io), events_(std::move(events)) {}

open_result<tcp_port> tcp_port::open(asio::io_context& io, const std::string& host_port_text, host_events events) {
  const auto colon = host_port_text.rfind(':');
  if (colon == std::string::npos) return common::failure{"--tcp wants HOST:PORT, got " + host_port_text};
  std::string host = host_port_text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::shared_ptr<tcp_port> port(new tcp_port(io, std::move(events)));
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, host_port_text.substr(colon + 1), tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) return common::failure{"cannot resolve " + host_port_text + ": " + ec.message()};
  const tcp::endpoint endpoint = *endpoints.begin();
  port->acceptor_.open(endpoint.protocol(), ec);
  if (!ec) port->acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) port->acceptor_.bind(endpoint, ec);
  if (!ec) port->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return common::failure{"cannot listen on " + host_port_text + ": " + ec.message()};
  port->do_accept();
  return port;
}

tcp_port::~tcp_port() { close(); }

void tcp_port::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  if (client_) client_->close();
  client_.reset();
}

std::string tcp_port::describe() const {
  boost::system::error_code ec;
  const auto endpoint = acceptor_.local_endpoint(ec);
  if (ec) return "tcp ?";
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return "tcp " + host + ":" + std::to_string(endpoint.port());
}

void tcp_port::send(std::string_view bytes) {
  if (client_) client_->send(bytes);  // nobody connected: the bytes are lost, as on an unplugged UART
}

bool tcp_port::idle() const { return !client_ || client_->idle(); }

void tcp_port::do_accept() {
  acceptor_.async_accept([weak = weak_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
    if (auto self = weak.lock()) self->on_accept(ec, std::move(socket));
  });
}

void tcp_port::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;  // closing
  if (ec) {
    std::cerr << "sim7600-emu: tcp: accept: " << ec.message() << "\n";
    return do_accept();
  }
  if (client_ && !client_->notice_hang_up()) {
    auto refused = std::make_shared<tcp::socket>(std::move(socket));
    static const std::string busy = "busy\r\n";
    asio::async_write(*refused, asio::buffer(busy), [refused](const boost::system::error_code&, std::size_t) {
      boost::system::error_code ignored;
      refused->shutdown(tcp::socket::shutdown_both, ignored);
      refused->close(ignored);
    });
    return do_accept();
  }
  // The session reports its close through the port, which forgets it before telling the runtime.
  host_events session_events = events_;
  const unsigned generation = ++client_generation_;
  session_events.closed = [weak = weak_from_this(), generation] {
    if (auto self = weak.lock()) self->on_session_closed(generation);
  };
  client_ = std::make_shared<tcp_session>(std::move(socket), std::move(session_events));
  client_->start();
  do_accept();
}

void tcp_port::on_session_closed(unsigned generation) {
  if (!client_ || generation != client_generation_) return;
  client_.reset();
  if (events_.closed) events_.closed();
}

}  // namespace pty_bridge
