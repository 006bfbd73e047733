#pragma once
// stream_transport: the module's SSL service (agent::cch_service) over real TCP streams, with TLS by OpenSSL where
// the session asks for it. Each stream is one connection object named by its stream_id. Client SSL_CTXs are
// shared: streams with the same TLS setup (version, CA, client certificate and key) use one context. Every stream
// has a deadline to connect and one to finish its handshake; SNI is sent and the host name verified as the
// setup says.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include "agent/stream_port.hpp"
#include "emulator/tcp_edge.hpp"

namespace sim7600_emu {

class stream_transport final : public agent::stream_port {
 public:
  // `events` finds the module's stream events (re-made by a power cut); `after_event` runs after every event
  // handed to it, so the runtime can deliver the output it caused.
  stream_transport(boost::asio::any_io_executor executor, std::function<agent::stream_events*()> events,
                   std::function<void()> after_event);
  ~stream_transport() override;

  void open(agent::stream_id id, agent::socket_endpoint remote, std::optional<agent::tls_setup> tls,
            std::chrono::milliseconds timeout) override;
  void send(agent::stream_id id, std::string bytes) override;
  void close(agent::stream_id id) override;
  void resume_receiving(agent::stream_id id) override;
  // Every stream closed at once, nothing reported (a power cut).
  void close_all();

  class connection;

 private:
  using context_key = std::tuple<int, bool, std::string, std::string, std::string>;
  // The shared client context for `tls`, or null when its certificates or key do not load.
  std::shared_ptr<boost::asio::ssl::context> context_for(const agent::tls_setup& tls);
  void forget(agent::stream_id id);
  void report(const std::function<void(agent::stream_events&)>& event);

  boost::asio::any_io_executor executor_;
  std::function<agent::stream_events*()> events_;
  std::function<void()> after_event_;
  connection_table<agent::stream_id, connection> connections_;
  std::map<context_key, std::weak_ptr<boost::asio::ssl::context>> contexts_;
  friend class connection;
};

}  // namespace sim7600_emu
