#include "control/control_client.hpp"

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fstream>

namespace sim7600_ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

// One stream type for the unix socket and TCP: Beast's HTTP read and write are compiled once, not once per socket.
using control_stream = beast::basic_stream<asio::generic::stream_protocol>;

// Writes the request and reads the answer on a connected stream, within the stream's deadline.
common::outcome<control_reply> exchange(asio::io_context& io, control_stream& stream,
                                        http::request<http::string_body>& request) {
  std::string error;  // the step that failed, for the one-line reason
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::async_write(stream, request, [&](error_code ec, std::size_t) {
    if (ec) {
      error = "write: " + ec.message();
      return;
    }
    http::async_read(stream, buffer, response, [&](error_code ec, std::size_t) {
      if (ec) error = "read: " + ec.message();
    });
  });
  io.run();
  if (!error.empty()) return common::failure{error};
  return control_reply{static_cast<int>(response.result_int()), response.body()};
}

}  // namespace

common::outcome<control_reply> call_control(const control_endpoint& endpoint,
                                            const sim7600_control::control_request& request,
                                            std::chrono::milliseconds deadline) {
  http::request<http::string_body> message{request.method == "GET" ? http::verb::get : http::verb::post,
                                           request.target, 11};
  message.set(http::field::host, endpoint.host.empty() ? "localhost" : endpoint.host);
  message.set(http::field::content_type, "application/json");
  if (request.method != "GET") message.body() = request.body.dump();
  asio::io_context io;
  error_code ec;
  control_stream stream(io);
  stream.expires_after(deadline);
  if (endpoint.host.empty()) {
    stream.socket().connect(asio::local::stream_protocol::endpoint(endpoint.socket_path), ec);
    if (ec) return common::failure{"cannot reach " + endpoint.socket_path + ": " + ec.message()};
    message.prepare_payload();
    return exchange(io, stream, message);
  }
  std::ifstream file(endpoint.token_file);
  std::string token;
  if (!file || !std::getline(file, token) || token.empty())
    return common::failure{"cannot read a token from " + endpoint.token_file};
  message.set(http::field::authorization, "Bearer " + token);
  message.prepare_payload();
  asio::ip::tcp::resolver resolver(io);
  const auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (!ec) {
    ec = asio::error::host_not_found;
    for (const auto& address : addresses) {  // the first address that answers, as asio::connect would
      if (stream.socket().is_open()) stream.socket().close();
      stream.socket().connect(address.endpoint(), ec);
      if (!ec) break;
    }
  }
  if (ec) return common::failure{"cannot reach " + endpoint.host + ":" + endpoint.port + ": " + ec.message()};
  return exchange(io, stream, message);
}

}  // namespace sim7600_ctl
