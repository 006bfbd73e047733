#include "emulator/control_server.hpp"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <sstream>

#include "common/hex.hpp"
#include "common/random_bytes.hpp"
#include "config_store/atomic_file.hpp"

namespace sim7600_emu {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

constexpr std::chrono::seconds request_deadline{30};
constexpr std::size_t max_body = 64 * 1024;

// The token the TCP endpoint asks for: made once, kept in the state dir (0600), never logged.
common::outcome<std::string> load_or_make_token(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) return token;
  token = common::to_hex(common::random_bytes(32));
  if (auto ec = config_store::write_file_atomically(file, token + "\n", 0600))
    return common::failure{"cannot write " + file.string() + ": " + ec.message()};
  return token;
}

bool same_secret(std::string_view given, std::string_view expected) {
  return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

struct control_server::impl {
  asio::io_context& io;
  sim7600_control::control_world& world;
  std::function<void()> after_request;
  std::filesystem::path socket_path;
  std::optional<asio::local::stream_protocol::acceptor> unix_acceptor;
  std::optional<asio::ip::tcp::acceptor> tcp_acceptor;
  std::string token;  // for TCP only

  http::response<http::string_body> answer(const http::request<http::string_body>& request, bool needs_token) {
    sim7600_control::verb_outcome outcome;
    const auto authorization = request[http::field::authorization];
    if (needs_token && !same_secret({authorization.data(), authorization.size()}, "Bearer " + token)) {
      outcome = sim7600_control::verb_outcome::refused("unauthorized", 401);
    } else {
      const auto target = request.target();
      outcome = sim7600_control::handle_request(world, std::string(request.method_string()),
                                                {target.data(), target.size()}, request.body());
      after_request();
    }
    http::response<http::string_body> response{static_cast<http::status>(outcome.status), request.version()};
    response.set(http::field::content_type, "application/json");
    response.keep_alive(request.keep_alive());
    response.body() = outcome.body.dump(-1, ' ', false, sim7600_control::json::error_handler_t::replace) + "\n";
    response.prepare_payload();
    return response;
  }

  template <class Acceptor>
  void accept(Acceptor& acceptor, bool needs_token);
};

namespace {

// One connection: read a request, answer it, again while the client keeps it alive. Every read and write has a
// deadline; a malformed request closes the connection.
template <class Protocol>
class session : public std::enable_shared_from_this<session<Protocol>> {
 public:
  session(typename Protocol::socket socket, control_server::impl& server, bool needs_token)
      : stream_(std::move(socket)), server_(server), needs_token_(needs_token) {}

  void do_read() {
    parser_.emplace();
    parser_->body_limit(max_body);
    stream_.expires_after(request_deadline);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(error_code ec) {
    if (ec) return close();
    response_ = server_.answer(parser_->get(), needs_token_);
    stream_.expires_after(request_deadline);
    http::async_write(stream_, response_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (ec || !self->response_.keep_alive()) return self->close();
      self->do_read();
    });
  }
  void close() {
    error_code ignored;
    stream_.socket().shutdown(Protocol::socket::shutdown_both, ignored);
  }

  beast::basic_stream<Protocol> stream_;
  control_server::impl& server_;
  bool needs_token_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
};

}  // namespace

template <class Acceptor>
void control_server::impl::accept(Acceptor& acceptor, bool needs_token) {
  acceptor.async_accept([this, &acceptor, needs_token](error_code ec, typename Acceptor::protocol_type::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      std::make_shared<session<typename Acceptor::protocol_type>>(std::move(socket), *this, needs_token)->do_read();
    }
    accept(acceptor, needs_token);
  });
}

control_server::control_server(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}

control_server::~control_server() {
  error_code ignored;
  if (impl_->unix_acceptor) {
    impl_->unix_acceptor->close(ignored);
    std::error_code not_there;
    std::filesystem::remove(impl_->socket_path, not_there);
  }
  if (impl_->tcp_acceptor) impl_->tcp_acceptor->close(ignored);
}

common::outcome<std::unique_ptr<control_server>> control_server::open(
    asio::io_context& io, const std::filesystem::path& state_dir, const std::optional<std::string>& tcp_address,
    sim7600_control::control_world& world, std::function<void()> after_request) {
  auto server = std::make_unique<impl>(impl{io, world, std::move(after_request), state_dir / "control.sock", {}, {}, {}});
  std::error_code stale;
  std::filesystem::remove(server->socket_path, stale);  // a stale socket of a previous run
  error_code ec;
  server->unix_acceptor.emplace(io);
  // Created 0600 from the start: no moment where another user could connect.
  const mode_t old_mask = ::umask(0177);
  server->unix_acceptor->open(asio::local::stream_protocol(), ec);
  if (!ec) server->unix_acceptor->bind(server->socket_path.string(), ec);
  ::umask(old_mask);
  if (!ec) server->unix_acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return common::failure{"control socket " + server->socket_path.string() + ": " + ec.message()};

  if (tcp_address) {
    const auto colon = tcp_address->rfind(':');
    asio::ip::address address = asio::ip::make_address(tcp_address->substr(0, colon), ec);
    if (ec || !address.is_loopback())
      return common::failure{"--control wants a loopback address, got '" + *tcp_address + "'"};
    auto token = load_or_make_token(state_dir / "control-token");
    if (!token) return token.error();
    server->token = std::move(token).value();
    const auto port = static_cast<unsigned short>(std::stoul(tcp_address->substr(colon + 1)));
    server->tcp_acceptor.emplace(io);
    asio::ip::tcp::endpoint endpoint(address, port);
    server->tcp_acceptor->open(endpoint.protocol(), ec);
    if (!ec) server->tcp_acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) server->tcp_acceptor->bind(endpoint, ec);
    if (!ec) server->tcp_acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return common::failure{"--control " + *tcp_address + ": " + ec.message()};
  }
  server->accept(*server->unix_acceptor, false);
  if (server->tcp_acceptor) server->accept(*server->tcp_acceptor, true);
  return std::unique_ptr<control_server>(new control_server(std::move(server)));
}

std::string control_server::describe() const {
  std::string text = "control unix:" + impl_->socket_path.string();
  if (impl_->tcp_acceptor) {
    const auto endpoint = impl_->tcp_acceptor->local_endpoint();
    text += " tcp " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  }
  return text;
}

}  // namespace sim7600_emu
