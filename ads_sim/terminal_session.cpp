#include "ads_sim/terminal_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace ads_sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

terminal_session::terminal_session(tls_stream stream, std::shared_ptr<terminal::terminal_port> port, std::string dsn,
                                   std::function<void(std::string_view line)> log, std::shared_ptr<void> keep)
    : ws_(std::move(stream)), port_(std::move(port)), dsn_(std::move(dsn)), log_(std::move(log)),
      keep_(std::move(keep)) {}

void terminal_session::start(beast::http::request<beast::http::string_body> upgrade) {
  ws_.next_layer().expires_never();  // the WebSocket's own timeouts (with pings) take over
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(beast::http::field::server, "ads-sim"); }));
  ws_.read_message_max(terminal_input_limit);
  ws_.async_accept(upgrade, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
}

void terminal_session::close() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->finish(websocket::close_code::going_away, "the service is stopping");
  });
}

void terminal_session::on_accept(beast::error_code ec) {
  if (ec) {
    if (log_) log_("ads-sim: terminal " + dsn_ + ": upgrade: " + ec.message());
    return;
  }
  open_ = true;
  if (log_) log_("ads-sim: terminal " + dsn_ + " opened");
  // The port calls these on the module's thread: hand everything to the strand, and never keep the session alive.
  std::weak_ptr<terminal_session> weak = weak_from_this();
  auto strand = ws_.get_executor();
  terminal::viewer_sink sink;
  sink.output = [weak, strand](std::string_view bytes) {
    asio::post(strand, [weak, bytes = std::string(bytes)]() mutable {
      if (const auto self = weak.lock()) self->push(terminal::frame_kind::output, std::move(bytes));
    });
  };
  sink.role_changed = [weak, strand](terminal::role now) {
    asio::post(strand, [weak, now] {
      if (const auto self = weak.lock()) self->notice_role(now);
    });
  };
  sink.port_closed = [weak, strand] {
    asio::post(strand, [weak] {
      if (const auto self = weak.lock()) self->finish(websocket::close_code::going_away, "the module stopped");
    });
  };
  viewer_ = port_->attach(std::move(sink));
  do_read();
}

void terminal_session::notice_role(terminal::role now) {
  reader_ = now == terminal::role::reader;
  push(terminal::frame_kind::notice, reader_ ? R"({"role":"reader"})" : R"({"role":"writer"})");
}

void terminal_session::do_read() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void terminal_session::on_read(beast::error_code ec) {
  if (ec) {
    // The viewer closed the page, the message was too long, or the connection broke: let go of the port.
    if (ec == websocket::error::message_too_big) finish(websocket::close_code::too_big, "typed too much at once");
    viewer_.reset();
    return;
  }
  if (!viewer_) return;  // closing: the close handshake reads what is left
  const std::string typed = beast::buffers_to_string(read_buffer_.data());
  read_buffer_.consume(read_buffer_.size());
  if (!viewer_->type(typed))
    push(terminal::frame_kind::notice, R"({"refused":"read-only: another viewer holds the keyboard"})");
  do_read();
}

void terminal_session::push(terminal::frame_kind kind, std::string bytes) {
  if (closing_ || !open_) return;
  if (!backlog_.push(kind, bytes))
    return finish(websocket::close_code::try_again_later, "too far behind the module's output");
  if (!write_in_flight_) do_write();
}

void terminal_session::do_write() {
  write_in_flight_ = true;
  const terminal::frame& next = backlog_.front();
  ws_.binary(next.kind == terminal::frame_kind::output);
  writing_ = next.bytes;
  backlog_.pop();
  ws_.async_write(asio::buffer(writing_),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void terminal_session::on_write(beast::error_code ec) {
  write_in_flight_ = false;
  if (ec) {
    viewer_.reset();
    return;
  }
  if (closing_) return do_close();
  if (!backlog_.empty()) do_write();
}

// Ends the session with a reason the browser shows; a write in flight finishes first.
void terminal_session::finish(websocket::close_code code, std::string reason) {
  if (closing_) return;
  closing_ = websocket::close_reason(code, reason);
  viewer_.reset();  // detaches: the writer's seat passes on now, not when the close completes
  if (log_) log_("ads-sim: terminal " + dsn_ + " closing: " + reason);
  if (open_ && !write_in_flight_) do_close();
  if (!open_) {
    beast::error_code ignored;
    ws_.next_layer().next_layer().close(ignored);
  }
}

void terminal_session::do_close() {
  ws_.async_close(*closing_, [self = shared_from_this()](beast::error_code) {
    beast::error_code ignored;
    self->ws_.next_layer().next_layer().close(ignored);
  });
}

}  // namespace ads_sim
