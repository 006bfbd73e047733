#include "emulator/stream_transport.hpp"

#include <array>
#include <deque>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

namespace sim7600_emu {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;
using agent::stream_error;

namespace {

constexpr std::size_t stream_read_chunk = 2048;  // one +CCHRECV: DATA block

// Trusts `bytes`: PEM (one or more certificates), else one DER certificate.
bool trust(ssl::context& context, const std::string& bytes) {
  error_code ec;
  context.add_certificate_authority(asio::buffer(bytes), ec);
  if (!ec) return true;
  const auto* der = reinterpret_cast<const unsigned char*>(bytes.data());
  X509* cert = d2i_X509(nullptr, &der, static_cast<long>(bytes.size()));
  if (cert == nullptr) return false;
  const bool added = X509_STORE_add_cert(SSL_CTX_get_cert_store(context.native_handle()), cert) == 1;
  X509_free(cert);
  return added;
}

bool use_identity(ssl::context& context, const std::string& cert, const std::string& key) {
  error_code ec;
  const auto format = [](const std::string& bytes) {
    return bytes.find("-----BEGIN") != std::string::npos ? ssl::context::pem : ssl::context::asn1;
  };
  context.use_certificate(asio::buffer(cert), format(cert), ec);
  if (!ec) context.use_private_key(asio::buffer(key), format(key), ec);
  return !ec;
}

// The manual's <sslversion>: one protocol version, or any the two sides share.
void limit_version(ssl::context& context, agent::ssl_context::version version) {
  int only = 0;
  switch (version) {
    case agent::ssl_context::version::ssl3: only = SSL3_VERSION; break;
    case agent::ssl_context::version::tls1_0: only = TLS1_VERSION; break;
    case agent::ssl_context::version::tls1_1: only = TLS1_1_VERSION; break;
    case agent::ssl_context::version::tls1_2: only = TLS1_2_VERSION; break;
    case agent::ssl_context::version::any: return;
  }
  SSL_CTX_set_min_proto_version(context.native_handle(), only);
  SSL_CTX_set_max_proto_version(context.native_handle(), only);
}

}  // namespace

// One stream of the core. Handlers hold it alive; a closed one reports nothing more.
class stream_transport::connection : public std::enable_shared_from_this<connection> {
 public:
  connection(stream_transport& owner, agent::stream_id id)
      : owner_(owner), id_(id), socket_(owner.executor_), dialer_(owner.executor_) {}

  void open(agent::socket_endpoint remote, std::optional<agent::tls_setup> tls,
            std::shared_ptr<ssl::context> context, std::chrono::milliseconds timeout) {
    tls_setup_ = std::move(tls);
    context_ = std::move(context);
    dialer_.dial(shared_from_this(), socket_, remote, timeout,
                 [self = shared_from_this(), host = remote.host](tcp_dialer::outcome outcome) {
                   switch (outcome) {
                     case tcp_dialer::outcome::connected: return self->handshake(host);
                     case tcp_dialer::outcome::dns_failed: return self->finish_open(stream_error::dns_failed);
                     case tcp_dialer::outcome::connect_failed: return self->finish_open(stream_error::connect_failed);
                     case tcp_dialer::outcome::timed_out: return self->finish_open(stream_error::timeout);
                   }
                 });
  }

  void send(std::string bytes) {
    writes_.push_back(std::move(bytes));
    if (state_ == phase::open && !writing_) write_next();
  }

  void resume() {
    if (state_ == phase::open && !reading_) read_next();
  }

  void close() {
    state_ = phase::closed;
    error_code ignored;
    dialer_.cancel();
    // No close_notify: the module drops the stream as a reset would; the peer sees the connection end.
    socket_.close(ignored);
  }

 private:
  enum class phase { opening, open, closed };

  void handshake(const std::string& host) {
    if (!tls_setup_) return finish_open(stream_error::none);
    if (!context_) return finish_open(stream_error::handshake_failed);  // its certificates did not load
    tls_ = std::make_unique<ssl::stream<tcp::socket&>>(socket_, *context_);
    if (tls_setup_->sni && !SSL_set_tlsext_host_name(tls_->native_handle(), tls_setup_->sni->c_str())) {
      return finish_open(stream_error::handshake_failed);
    }
    if (tls_setup_->verify_server) {
      tls_->set_verify_mode(ssl::verify_peer);
      tls_->set_verify_callback(ssl::host_name_verification(host));
    } else {
      tls_->set_verify_mode(ssl::verify_none);
    }
    dialer_.arm(shared_from_this(), std::chrono::duration_cast<std::chrono::milliseconds>(tls_setup_->handshake_timeout),
                [self = shared_from_this()] {
                  if (self->state_ == phase::opening) self->finish_open(stream_error::timeout);
                });
    tls_->async_handshake(ssl::stream_base::client, [self = shared_from_this()](const error_code& ec) {
      if (self->state_ != phase::opening) return;
      self->finish_open(ec ? stream_error::handshake_failed : stream_error::none);
    });
  }

  void finish_open(stream_error error) {
    dialer_.cancel();
    state_ = error == stream_error::none ? phase::open : phase::closed;
    if (state_ == phase::closed) close();
    owner_.report([&](agent::stream_events& e) { e.on_opened(id_, error); });
    if (state_ != phase::open) return owner_.forget(id_);
    read_next();
    // The core may have sent from inside on_opened (the HTTP service sends its request there): one write at a time.
    if (!writes_.empty() && !writing_) write_next();
  }

  // The peer closed or the stream broke: the core hears it once.
  void lost() {
    if (state_ != phase::open) return;
    close();
    owner_.report([&](agent::stream_events& e) { e.on_closed(id_); });
    owner_.forget(id_);
  }

  std::size_t room() {
    agent::stream_events* events = owner_.events_();
    return events ? events->rx_room(id_) : 0;
  }

  void read_next() {
    const std::size_t space = room();
    if (space == 0) {  // the core's cache is full: wait for resume()
      reading_ = false;
      return;
    }
    reading_ = true;
    auto buffer = asio::buffer(buffer_.data(), std::min(space, stream_read_chunk));
    auto done = [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); };
    if (tls_) return tls_->async_read_some(buffer, done);
    socket_.async_read_some(buffer, done);
  }

  void on_read(const error_code& ec, std::size_t n) {
    reading_ = false;
    if (state_ != phase::open) return;
    if (n > 0) owner_.report([&](agent::stream_events& e) { e.on_received(id_, std::string_view(buffer_.data(), n)); });
    if (state_ != phase::open) return;
    if (ec) return lost();
    read_next();
  }

  void write_next() {
    writing_ = true;
    auto done = [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_written(ec); };
    if (tls_) return asio::async_write(*tls_, asio::buffer(writes_.front()), done);
    asio::async_write(socket_, asio::buffer(writes_.front()), done);
  }

  void on_written(const error_code& ec) {
    writing_ = false;
    if (state_ != phase::open) return;
    if (ec) return lost();
    const std::size_t size = writes_.front().size();
    writes_.pop_front();
    owner_.report([&](agent::stream_events& e) { e.on_sent(id_, size); });
    if (state_ == phase::open && !writes_.empty() && !writing_) write_next();
  }

  stream_transport& owner_;
  agent::stream_id id_;
  phase state_ = phase::opening;
  tcp::socket socket_;
  tcp_dialer dialer_;
  std::optional<agent::tls_setup> tls_setup_;
  std::shared_ptr<ssl::context> context_;
  std::unique_ptr<ssl::stream<tcp::socket&>> tls_;
  std::deque<std::string> writes_;
  std::array<char, stream_read_chunk> buffer_{};
  bool reading_ = false;
  bool writing_ = false;  // one async_write at a time
};

stream_transport::stream_transport(asio::any_io_executor executor, std::function<agent::stream_events*()> events,
                                   std::function<void()> after_event)
    : executor_(executor), events_(std::move(events)), after_event_(std::move(after_event)), connections_(executor) {}

stream_transport::~stream_transport() { close_all(); }

std::shared_ptr<ssl::context> stream_transport::context_for(const agent::tls_setup& tls) {
  context_key key{static_cast<int>(tls.version), tls.verify_server, tls.verify_server ? tls.ca_pem : "",
                  tls.client_cert, tls.client_key};
  if (auto shared = contexts_[key].lock()) return shared;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  limit_version(*context, tls.version);
  if (tls.verify_server && !trust(*context, tls.ca_pem)) return nullptr;
  if (!tls.client_cert.empty() && !use_identity(*context, tls.client_cert, tls.client_key)) return nullptr;
  SSL_CTX_set_mode(context->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  contexts_[key] = context;
  return context;
}

void stream_transport::open(agent::stream_id id, agent::socket_endpoint remote, std::optional<agent::tls_setup> tls,
                            std::chrono::milliseconds timeout) {
  std::erase_if(contexts_, [](const auto& entry) { return entry.second.expired(); });
  std::shared_ptr<ssl::context> context = tls ? context_for(*tls) : nullptr;
  auto stream = std::make_shared<connection>(*this, id);
  connections_.add(id, stream);
  stream->open(std::move(remote), std::move(tls), std::move(context), timeout);
}

void stream_transport::send(agent::stream_id id, std::string bytes) {
  if (connection* stream = connections_.find(id)) stream->send(std::move(bytes));
}

void stream_transport::close(agent::stream_id id) { connections_.close(id); }
void stream_transport::resume_receiving(agent::stream_id id) { connections_.resume_later(id); }
void stream_transport::close_all() { connections_.close_all(); }
void stream_transport::forget(agent::stream_id id) { connections_.forget(id); }

void stream_transport::report(const std::function<void(agent::stream_events&)>& event) {
  if (agent::stream_events* events = events_()) event(*events);
  after_event_();
}

}  // namespace sim7600_emu
