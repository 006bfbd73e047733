#pragma once
// https_client: one kept-alive TLS connection to the device service. Requests are queued and sent one at a
// time in order; the connection is made on demand, verified against the Ayla host name (SNI, Host:, certificate
// name) while the TCP connection goes to the address of --ads-url, and re-made when the service closes it.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "ads_client/http_message.hpp"
#include "common/result.hpp"
#include "tls_stream/tls_stream.hpp"

namespace ads_client {

struct https_target {
  std::string host;         // where to connect (the --ads-url host), e.g. "127.0.0.1"
  std::string port;         // e.g. "8443"
  std::string server_name;  // the Ayla host name: TLS SNI, Host: header, and the name the certificate must carry
  std::string ca_file;      // PEM file of trusted CAs; empty means the system's default trust store
  std::string source_address{};  // the local address to connect from (source_address.hpp); "": the system's choice
  bool operator==(const https_target&) const = default;
};

// Done when `ca_file` can serve as the trusted CAs; else why not (missing, unreadable, no PEM certificate in it).
common::outcome<common::done> check_ca_file(const std::string& ca_file);

class https_client : public std::enable_shared_from_this<https_client> {
 public:
  using handler = std::function<void(http_outcome)>;

  static std::shared_ptr<https_client> create(boost::asio::any_io_executor executor, https_target target);

  // A new target (the config changed): the current connection is dropped after the request in flight.
  void retarget(https_target target);
  // Queue a request; `done` runs on the executor with the response or the transport error. `deadline` bounds
  // the whole exchange including any connection set-up.
  void request(http_request request, std::chrono::milliseconds deadline, handler done);
  // Drop the connection; the request in flight and all queued ones end with transport_error{"closed"}.
  void close();

 private:
  // OpenSSL on the socket itself: a fleet keeps thousands of these idle (tls_stream.hpp says what it saves).
  using tls_stream = ::tls_stream::stream;
  struct pending {
    http_request request;
    std::chrono::milliseconds deadline;
    handler done;
    bool retried = false;
  };

  https_client(boost::asio::any_io_executor executor, https_target target);

  void start_next();
  void do_resolve();
  void on_resolve(boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type results);
  void on_connect(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec);
  void on_handshake(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec);
  void do_write();
  void on_write(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec);
  void on_read(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec);
  void fail(const boost::system::error_code& ec, const char* stage);
  void finish(http_outcome outcome);
  void drop_connection();
  void arm_deadline();

  boost::asio::any_io_executor executor_;
  https_target target_;
  // The process's one context for this CA file (client_tls_context), or why the CA file cannot be used.
  common::outcome<std::shared_ptr<boost::asio::ssl::context>> tls_context_;
  boost::asio::ip::tcp::resolver resolver_;
  // Shared so a dropped stream outlives the handlers still pending on it; they notice it is no longer stream_.
  std::shared_ptr<tls_stream> stream_;
  std::uint64_t resolve_count_ = 0;  // names the newest resolution; the handlers of older ones do nothing
  bool retarget_pending_ = false;   // drop the connection once the request in flight ends
  bool reused_connection_ = false;  // the exchange in flight runs on a connection that served an earlier one
  std::deque<pending> queue_;
  bool busy_ = false;
  using wire_request = boost::beast::http::request<boost::beast::http::string_body>;
  using response_parser = boost::beast::http::response_parser<boost::beast::http::string_body>;
  // The current connection's and exchange's; the operations in flight hold their own references.
  std::shared_ptr<boost::beast::flat_buffer> buffer_;
  std::shared_ptr<wire_request> wire_request_;
  std::shared_ptr<response_parser> parser_;
};

}  // namespace ads_client
