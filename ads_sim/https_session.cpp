#include "ads_sim/https_session.hpp"

#include "ads_sim/key_batch.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <sstream>

namespace ads_sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

constexpr std::size_t first_read_size = 4096;

http_request to_core_request(const http::request<http::string_body>& request, std::uint64_t connection_id) {
  http_request out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  for (const auto& field : request) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = request.body();
  out.connection_id = connection_id;
  return out;
}

bool ordinary_end(beast::error_code ec) {
  return ec == asio::error::operation_aborted || ec == http::error::end_of_stream ||
         ec == http::error::partial_message || ec == asio::error::eof || ec == beast::error::timeout ||
         ec == ssl::error::stream_truncated || ec == asio::error::connection_reset;
}

}  // namespace

https_session::https_session(asio::ip::tcp::socket socket, std::shared_ptr<connection_context> context,
                             served_part part)
    : stream_(std::move(socket), context->tls),
      strand_(stream_.get_executor()),
      context_(std::move(context)),
      id_(context_->next_connection_id++),
      part_(part) {}

https_session::~https_session() { context_->core.connection_closed(id_); }

void https_session::run() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->do_handshake(); });
}

void https_session::close() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->phase_ != session_phase::upgraded) return self->advance(session_event::close);
    if (const auto terminal = self->terminal_.lock()) terminal->close();
  });
}

void https_session::advance(session_event event) {
  const session_phase from = phase_;
  phase_ = next_phase(from, event);
  if (phase_ != from) enter(from);
}

// Every action of the session follows from the phase it enters and the one it leaves.
void https_session::enter(session_phase from) {
  using p = session_phase;
  if (phase_ == p::handling) start_request();
  if (phase_ == p::closing) return do_close();
  if (reads_in(phase_) && !reads_in(from)) do_read();
  if (writes_in(phase_) && !writes_in(from)) do_write();
}

void https_session::do_handshake() {
  stream_.expires_after(context_->limits.handshake_timeout);
  stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
    if (ec) {
      self->report(ec, "handshake");
      return self->advance(session_event::close);
    }
    self->advance(session_event::handshake_done);
  });
}

// Waits (idle timeout) for a request's first bytes, then gives its header and body deadlines of their own, so a
// client that trickles a request (slow-loris) loses its connection.
void https_session::do_read() {
  parser_.emplace();
  parser_->header_limit(context_->limits.header_limit);
  // Beast checks Content-Length against the limit while it reads the header, so the header is read under the
  // largest limit (image uploads) and every other request is held to the small one once its target is known.
  parser_->body_limit(context_->limits.image_body_limit);
  if (buffer_.size() > 0) return read_header();  // pipelined: the next request has begun
  stream_.expires_after(context_->limits.idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            if (ec) return self->on_read(ec);
                            self->buffer_.commit(bytes);
                            self->read_header();
                          });
}

void https_session::read_header() {
  stream_.expires_after(context_->limits.header_timeout);
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_read_header(ec);
  });
}

void https_session::on_read_header(beast::error_code ec) {
  if (ec) return on_read(ec);
  // Images are the only big uploads.
  const auto& header = parser_->get();
  const auto body_limit = context_->limits.body_limit;
  const bool image_upload =
      header.target().starts_with("/api/v1/images") || header.target().starts_with("/api/v1/console/images");
  if (header.method() != http::verb::post || !image_upload) {
    if (parser_->content_length().value_or(0) > body_limit) return on_read(http::error::body_limit);
    parser_->body_limit(body_limit);
  }
  stream_.expires_after(context_->limits.body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void https_session::on_read(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return advance(session_event::read_ended);
  const bool too_large = ec == http::error::body_limit || ec == http::error::header_limit;
  if (too_large || (ec && ec.category() == http::make_error_code(http::error::end_of_stream).category())) {
    if (phase_ == session_phase::reading)
      stage_refusal(too_large ? 413 : 400, too_large ? "request too large" : "malformed HTTP request");
    return advance(session_event::request_bad);
  }
  if (ec) {
    report(ec, "read");
    return advance(session_event::read_ended);
  }
  incoming_ = read_request{to_core_request(parser_->get(), id_), parser_->get().keep_alive()};
  advance(session_event::request_read);
}

void https_session::start_request() {
  current_ = std::move(incoming_->request);
  keep_alive_ = incoming_->keep_alive;
  incoming_.reset();
  started_ = std::chrono::steady_clock::now();
  ask_core();
}

void https_session::ask_core() {
  // Through the strand even when answered at once: on_core() moves the phase, which must not happen inside enter().
  if (!part_serves(part_, current_.path())) return answer_on_strand(outside_part_response());
  const bool queued = context_->requests.submit(current_, [self = shared_from_this()](outcome result) {
    self->answer_on_strand(std::move(result));
  });
  if (!queued) advance(session_event::close);  // the service is stopping
}

void https_session::make_keys(int count) {
  if (context_->log)
    context_->log("ads-sim: " + current_.method + " " + std::string(current_.path()) + " making " +
                  std::to_string(count) + " keys");
  const bool queued = make_keys_in_parallel(context_->key_workers, count, context_->stopping,
                                            [self = shared_from_this(), request = current_](auto keys) {
                                              self->handle_on_worker(request, {std::move(keys), std::nullopt});
                                            });
  if (!queued) advance(session_event::close);
}

// PBKDF2 on the slow-work worker, without the core's lock, then the request again with the result.
void https_session::do_password_work(console::password_work work) {
  if (context_->log)
    context_->log("ads-sim: " + current_.method + " " + std::string(current_.path()) + " hashing a password");
  const bool queued = context_->key_workers.submit([self = shared_from_this(), request = current_,
                                                    work = std::move(work)] {
    self->handle_on_worker(request, {{}, console::do_password_work(work)});
  });
  if (!queued) advance(session_event::close);
}

// Again with what the core asked for (keys, a password's hash), alone: it has waited long enough.
void https_session::handle_on_worker(const http_request& request, prepared_inputs prepared) {
  answer_on_strand(context_->core.handle(request, std::chrono::system_clock::now(), std::move(prepared)));
}

// The answer comes back as an event on the session's strand, as any other completion does.
void https_session::answer_on_strand(outcome result) {
  asio::post(strand_, [self = shared_from_this(), result = std::move(result)]() mutable {
    self->on_core(std::move(result));
  });
}

void https_session::on_core(outcome result) {
  if (auto* response = std::get_if<http_response>(&result)) {
    answer_ = std::move(*response);
    return advance(keep_alive_ ? session_event::core_answered : session_event::core_answered_last);
  }
  if (const auto* need = std::get_if<need_keys>(&result)) return make_keys(need->count);
  if (auto* need = std::get_if<need_password>(&result)) return do_password_work(std::move(need->work));
  if (auto* terminal = std::get_if<open_terminal>(&result)) return start_terminal(std::move(*terminal));
  // An injected network fault: the connection goes without an answer and without a TLS goodbye.
  if (context_->log)
    context_->log("ads-sim: " + current_.method + " " + std::string(current_.path()) + " dropped (injected fault)");
  stream_.close();
  advance(session_event::core_dropped);
}

// The connection leaves HTTP: its TLS stream goes to a terminal_session, which answers the upgrade (101).
void https_session::start_terminal(open_terminal terminal) {
  advance(session_event::core_upgraded);
  if (phase_ != session_phase::upgraded) return;  // closing meanwhile
  if (context_->log) context_->log("ads-sim: GET " + std::string(current_.path()) + " 101 (terminal)");
  auto session = std::make_shared<terminal_session>(std::move(stream_), std::move(terminal.port),
                                                    std::move(terminal.dsn), context_->log, shared_from_this());
  terminal_ = session;
  session->start(parser_->release());
}

void https_session::stage_refusal(int status, std::string_view why) {
  current_ = http_request{};
  current_.method = "-";
  current_.target = "-";
  keep_alive_ = false;
  started_ = std::chrono::steady_clock::now();
  answer_ = error_response(status, why);
  answer_.set_header("x-Ayla-server-time", std::to_string(unix_seconds(std::chrono::system_clock::now())));
}

void https_session::do_write() {
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(answer_.status));
  for (auto& [name, value] : answer_.headers) response_.set(name, value);
  response_.set(http::field::server, "ads-sim");
  response_.body() = std::move(answer_.body);
  response_.keep_alive(phase_ != session_phase::answering_last);
  response_.prepare_payload();
  stream_.expires_after(context_->limits.body_timeout);
  http::async_write(stream_, response_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void https_session::on_write(beast::error_code ec) {
  log_request();
  if (ec) {
    report(ec, "write");
    return advance(session_event::write_failed);
  }
  advance(session_event::write_done);
}

// TLS shutdown writes; the phase guarantees no write is in flight.
void https_session::do_close() {
  stream_.expires_after(context_->limits.body_timeout);
  stream_.async_shutdown(
      [self = shared_from_this()](beast::error_code) { self->stream_.close(); });
}

void https_session::log_request() {
  if (!context_->log) return;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
  // The path only: queries and headers (tokens, keys) are never logged.
  std::ostringstream line;
  line << "ads-sim: " << current_.method << ' ' << current_.path() << ' ' << response_.result_int() << ' '
       << response_.body().size() << "B " << micros << "us";
  context_->log(line.str());
}

void https_session::report(beast::error_code ec, const char* what) {
  if (!ordinary_end(ec) && context_->log) context_->log(std::string("ads-sim: ") + what + ": " + ec.message());
}

}  // namespace ads_sim
