#include "ads_client/https_client.hpp"

#include "ads_client/client_tls_context.hpp"
#include "ads_client/source_address.hpp"

#include <filesystem>

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace ads_client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

constexpr std::size_t max_response_body = 64 * 1024 * 1024;  // an OTA image range fits; nothing legitimate is larger

// Why an exchange failed, in words a user can act on ("certificate verify failed", "Connection refused").
std::string describe(const boost::system::error_code& ec) {
  if (ec == asio::error::operation_aborted || ec == beast::error::timeout) return "timed out";
  return ec.message();
}

}  // namespace

common::outcome<common::done> check_ca_file(const std::string& ca_file) {
  std::error_code ec;
  const auto status = std::filesystem::status(ca_file, ec);
  if (ec) return common::failure{"cannot read " + ca_file + ": " + ec.message()};
  if (status.type() != std::filesystem::file_type::regular) return common::failure{ca_file + " is not a regular file"};
  if (auto context = client_tls_context(ca_file); !context) return context.error();
  return common::done{};
}

std::shared_ptr<https_client> https_client::create(asio::any_io_executor executor, https_target target) {
  return std::shared_ptr<https_client>(new https_client(std::move(executor), std::move(target)));
}

https_client::https_client(asio::any_io_executor executor, https_target target)
    : executor_(std::move(executor)),
      target_(std::move(target)),
      tls_context_(client_tls_context(target_.ca_file)),
      resolver_(executor_) {}

void https_client::retarget(https_target target) {
  if (target == target_) return;
  const bool new_ca = target.ca_file != target_.ca_file;
  target_ = std::move(target);
  if (new_ca) tls_context_ = client_tls_context(target_.ca_file);
  if (busy_) {
    retarget_pending_ = true;  // the exchange in flight finishes on the old connection
  } else {
    drop_connection();
  }
}

void https_client::request(http_request request, std::chrono::milliseconds deadline, handler done) {
  queue_.push_back(pending{std::move(request), deadline, std::move(done)});
  if (!busy_) start_next();
}

void https_client::close() {
  resolver_.cancel();
  ++resolve_count_;  // a resolution already completed is not cancelled by the line above
  drop_connection();
  auto queued = std::move(queue_);
  queue_.clear();
  busy_ = false;
  for (auto& item : queued) {
    asio::post(executor_, [done = std::move(item.done)] { done(transport_error{"closed"}); });
  }
}

void https_client::start_next() {
  if (queue_.empty()) return;
  busy_ = true;
  if (retarget_pending_) {
    retarget_pending_ = false;
    drop_connection();
  }
  if (!tls_context_) {
    // Answer asynchronously, like every other outcome: callers rely on `done` never running inside request().
    return asio::post(executor_, [self = shared_from_this()] {
      if (self->busy_) self->finish(transport_error{self->tls_context_.error().reason});
    });
  }
  const http_request& next = queue_.front().request;
  auto wire = std::make_shared<wire_request>();
  wire->method_string(next.method);
  wire->target(next.target);
  wire->version(11);
  wire->set(http::field::host, target_.server_name);
  wire->set(http::field::user_agent, "sim7600-emu APCA-1.0");
  wire->keep_alive(true);
  for (const auto& [name, value] : next.headers) wire->set(name, value);
  if (!next.body.empty()) {
    if (wire->find(http::field::content_type) == wire->end()) {
      wire->set(http::field::content_type, "application/json");
    }
    wire->body() = next.body;
  }
  wire->prepare_payload();
  wire_request_ = std::move(wire);
  if (stream_) {
    reused_connection_ = true;
    do_write();
  } else {
    reused_connection_ = false;
    do_resolve();
  }
}

void https_client::arm_deadline() {
  if (stream_) stream_->expires_after(queue_.front().deadline);
}

void https_client::do_resolve() {
  resolver_.async_resolve(target_.host, target_.port,
                          [self = shared_from_this(), resolve = ++resolve_count_](boost::system::error_code ec,
                                                                                  auto results) {
                            // A resolution that finished just before close() still completes with success:
                            // only the newest one, while its request is still queued, may go on.
                            if (resolve != self->resolve_count_ || !self->busy_) return;
                            self->on_resolve(ec, std::move(results));
                          });
}

void https_client::on_resolve(boost::system::error_code ec, asio::ip::tcp::resolver::results_type results) {
  if (ec == asio::error::operation_aborted) return;  // close() cancelled it
  if (ec) return fail(ec, "resolve");
  stream_ = std::make_shared<tls_stream>(executor_, **tls_context_);
  buffer_ = std::make_shared<beast::flat_buffer>();
  // SNI and the verified name are the Ayla host name, whatever address we connect to.
  if (!stream_->set_host_name(target_.server_name)) {
    return finish(transport_error{"tls: cannot set server name " + target_.server_name});
  }
  arm_deadline();
  auto connected = [self = shared_from_this(), stream = stream_](boost::system::error_code ec) {
    self->on_connect(stream, ec);
  };
  if (target_.source_address.empty()) return stream_->async_connect(results, std::move(connected));
  // Bound to its source address, the socket is connected to one address (trying the next would open a new one).
  const auto destination = results.begin()->endpoint();
  if (const auto bound = bind_source_address(stream_->next_layer(), destination, target_.source_address))
    return fail(bound, "bind");
  stream_->async_connect(destination, std::move(connected));
}

void https_client::on_connect(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec) {
  if (stream != stream_) return;  // dropped meanwhile
  if (ec) return fail(ec, "connect");
  stream_->next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
  stream_->async_handshake(ssl::stream_base::client,
                           [self = shared_from_this(), stream = stream_](boost::system::error_code ec) {
                             self->on_handshake(stream, ec);
                           });
}

void https_client::on_handshake(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec) {
  if (stream != stream_) return;
  if (ec) return fail(ec, "handshake");
  do_write();
}

void https_client::do_write() {
  arm_deadline();
  // The message, like the buffer and parser below, is held by the operation: a connection dropped meanwhile (close,
  // retarget) and the next request started must not free or reuse what an operation still in flight touches.
  http::async_write(*stream_, *wire_request_,
                    [self = shared_from_this(), stream = stream_, message = wire_request_](boost::system::error_code ec,
                                                                                           std::size_t) {
                      self->on_write(stream, ec);
                    });
}

void https_client::on_write(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec) {
  if (stream != stream_) return;
  if (ec) return fail(ec, "write");
  parser_ = std::make_shared<response_parser>();
  parser_->body_limit(max_response_body);
  http::async_read(*stream_, *buffer_, *parser_,
                   [self = shared_from_this(), stream = stream_, buffer = buffer_, parser = parser_](
                       boost::system::error_code ec, std::size_t) {
                     self->on_read(stream, ec);
                   });
}

void https_client::on_read(const std::shared_ptr<tls_stream>& stream, boost::system::error_code ec) {
  if (stream != stream_) return;
  if (ec) return fail(ec, "read");
  auto message = parser_->release();
  http_response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response.headers[name] = std::string(field.value());
  }
  response.body = std::move(message.body());
  if (!message.keep_alive()) drop_connection();
  // Idle until the next request: no deadline, so a kept-alive connection runs no timer.
  if (stream_) stream_->expires_never();
  finish(std::move(response));
}

void https_client::fail(const boost::system::error_code& ec, const char* stage) {
  const std::string_view at(stage);
  const bool nothing_answered = at == "write" || (at == "read" && parser_ && !parser_->got_some());
  const bool stale = reused_connection_ && nothing_answered;
  drop_connection();
  // A kept-alive connection the service closed while idle: try once more on a fresh one.
  if (stale && !queue_.front().retried) {
    queue_.front().retried = true;
    reused_connection_ = false;
    return do_resolve();
  }
  finish(transport_error{std::string(stage) + ": " + describe(ec)});
}

void https_client::finish(http_outcome outcome) {
  pending done = std::move(queue_.front());
  queue_.pop_front();
  busy_ = false;
  // The handler may queue the next request; run it first so order is kept, then continue with the queue.
  done.done(std::move(outcome));
  if (!busy_) start_next();
}

void https_client::drop_connection() {
  if (stream_) {
    boost::system::error_code ignored;
    stream_->next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_->close();  // pending operations end with operation_aborted
    stream_.reset();
  }
  buffer_.reset();
  parser_.reset();
}

}  // namespace ads_client
