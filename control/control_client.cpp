#include "control/control_client.hpp"

#include <boost/asio/connect.hpp>
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

// Writes the request and reads the answer on a connected stream, within the stream's deadline.
template <class Stream>
common::outcome<control_reply> exchange(asio::io_context& io, Stream& stream,
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
  if (endpoint.host.empty()) {
    beast::basic_stream<asio::local::stream_protocol> stream(io);
    stream.expires_after(deadline);
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
  beast::basic_stream<asio::ip::tcp> stream(io);
  stream.expires_after(deadline);
  asio::ip::tcp::resolver resolver(io);
  auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (!ec) asio::connect(stream.socket(), addresses, ec);
  if (ec) return common::failure{"cannot reach " + endpoint.host + ":" + endpoint.port + ": " + ec.message()};
  return exchange(io, stream, message);
}

}  // namespace sim7600_ctl
