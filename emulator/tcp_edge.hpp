#pragma once
// tcp_edge: what the socket transport (AT+CIPOPEN) and the stream transport (AT+CCHOPEN, HTTP(S), MQTT(S)) share at
// the I/O edge. tcp_dialer resolves a host and connects a TCP socket within a deadline; connection_table keeps the
// open connections by the id the core gave them.
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/socket_service.hpp"

namespace sim7600_emu {

// Resolve, then connect, before a deadline. The outcome is reported once; after cancel() it is not reported at all.
// `owner` is the connection the dialer lives in: every handler holds it alive.
class tcp_dialer {
 public:
  enum class outcome { connected, dns_failed, connect_failed, timed_out };

  explicit tcp_dialer(boost::asio::any_io_executor executor);
  void dial(std::shared_ptr<void> owner, boost::asio::ip::tcp::socket& socket, const agent::socket_endpoint& remote,
            std::chrono::milliseconds timeout, std::function<void(outcome)> done);
  // A further deadline on the same connection (a TLS handshake): `expired` runs unless cancel() comes first.
  void arm(std::shared_ptr<void> owner, std::chrono::milliseconds timeout, std::function<void()> expired);
  void cancel();

 private:
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  std::function<void(outcome)> done_;
};

// The open connections of one transport by id. A Connection has close() (at once, reporting nothing) and resume()
// (read again: the core has room).
template <class Id, class Connection>
class connection_table {
 public:
  explicit connection_table(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

  void add(Id id, std::shared_ptr<Connection> connection) { connections_[id] = std::move(connection); }
  Connection* find(Id id) {
    auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : it->second.get();
  }
  void close(Id id) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    it->second->close();
    connections_.erase(it);
  }
  // Posted: the core asks from inside a command, and the read it resumes reports back into the core.
  void resume_later(Id id) {
    boost::asio::post(executor_, [this, id] {
      if (Connection* connection = find(id)) connection->resume();
    });
  }
  void close_all() {
    for (auto& [id, connection] : connections_) connection->close();
    connections_.clear();
  }
  void forget(Id id) { connections_.erase(id); }  // a connection that closed itself (failed open, lost peer)

 private:
  boost::asio::any_io_executor executor_;
  std::map<Id, std::shared_ptr<Connection>> connections_;
};

}  // namespace sim7600_emu
