#include "tls_stream/tls_stream.hpp"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <new>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

namespace tls_stream {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

SSL* new_ssl(SSL_CTX* context) {
  SSL* ssl = SSL_new(context);
  if (!ssl) throw std::bad_alloc();
  // Partial writes: a write_some reports what one record took. Moving buffer: a write retried after WANT_WRITE may
  // come from a moved operation. Released buffers: an idle connection gives its 16 KB record buffers back.
  SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  return ssl;
}

// OpenSSL's own socket BIO writes with write(2), which raises SIGPIPE on a connection the peer reset and kills a
// process that does not ignore it (Asio does not ignore it on Linux; it sends with MSG_NOSIGNAL). This BIO is the
// socket BIO with send(MSG_NOSIGNAL): the same descriptor, a broken pipe reported as EPIPE instead.
int descriptor_of(BIO* bio) { return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio))); }

int socket_write(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  const ssize_t sent = ::send(descriptor_of(bio), data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
  if (sent >= 0) return static_cast<int>(sent);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_write(bio);
  return -1;
}

int socket_read(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  const ssize_t got = ::recv(descriptor_of(bio), data, static_cast<std::size_t>(size), 0);
  if (got >= 0) return static_cast<int>(got);  // 0: the peer closed; OpenSSL tells a goodbye from a cut itself
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_read(bio);
  return -1;
}

long socket_control(BIO* bio, int command, long, void*) {
  if (command == BIO_CTRL_FLUSH || command == BIO_CTRL_DUP) return 1;  // writes are never buffered here
  if (command == BIO_C_GET_FD) return descriptor_of(bio);
  return 0;
}

int socket_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* no_sigpipe_socket_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                    "tls_stream socket");
    if (!made) throw std::bad_alloc();
    BIO_meth_set_write(made, socket_write);
    BIO_meth_set_read(made, socket_read);
    BIO_meth_set_ctrl(made, socket_control);
    BIO_meth_set_create(made, socket_create);
    return made;
  }();
  return method;
}

// Capped so OpenSSL's int-sized lengths never see more than they take.
std::size_t capped(std::size_t size) { return std::min<std::size_t>(size, INT_MAX); }

}  // namespace

connection_state::connection_state(asio::ip::tcp::socket socket_in, SSL_CTX* context)
    : socket(std::move(socket_in)), ssl(new_ssl(context)), timer(socket.get_executor()) {}

connection_state::~connection_state() { SSL_free(ssl); }

void connection_state::attach() {
  if (attached) return;
  error_code ignored;
  socket.non_blocking(true, ignored);  // OpenSSL's reads and writes must return at once, never park the loop
  BIO* bio = BIO_new(no_sigpipe_socket_method());
  if (!bio) throw std::bad_alloc();
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(socket.native_handle())));
  SSL_set_bio(ssl, bio, bio);  // one reference, owned by the SSL object from now on
  attached = true;
}

void connection_state::operation_started() {
  ++in_flight;
  arm_timer();
}

void connection_state::operation_finished() {
  if (--in_flight == 0) disarm_timer();
}

void connection_state::arm_timer() {
  if (timer_armed || in_flight == 0 || deadline == std::chrono::steady_clock::time_point::max()) return;
  timer_armed = true;
  timer.expires_at(deadline);
  // Weak: the timer must not keep the state (and its SSL) alive.
  timer.async_wait([weak = weak_from_this(), generation = ++timer_generation](
                       error_code ec) {
    const auto self = weak.lock();
    if (ec || !self || generation != self->timer_generation || !self->timer_armed) return;
    // As beast::tcp_stream: the connection is unusable mid-record, so it is closed and every operation in flight
    // ends with timeout.
    self->timer_armed = false;
    self->timed_out = true;
    error_code ignored;
    self->socket.close(ignored);
  });
}

void connection_state::disarm_timer() {
  if (!timer_armed) return;
  timer_armed = false;
  ++timer_generation;
  timer.cancel();
}

void connection_state::set_deadline(std::chrono::steady_clock::time_point when) {
  deadline = when;
  disarm_timer();
  arm_timer();
}

error_code connection_state::outcome(error_code ec) const {
  if (timed_out && ec) return boost::beast::error::timeout;
  return ec;
}

ssl_step connection_state::classify(int ok, std::size_t bytes) {
  // errno first: nothing may run between the SSL call and this read of it.
  const int system_error = errno;
  if (ok > 0) return {ssl_step::need::nothing, {}, bytes};
  const auto ended = [](error_code ec) { return ssl_step{ssl_step::need::nothing, ec, 0}; };
  const auto openssl_error = [](unsigned long code) {
    return error_code(static_cast<int>(code), asio::error::get_ssl_category());  // as Asio's ssl::stream reports
  };
  switch (SSL_get_error(ssl, ok)) {
    case SSL_ERROR_WANT_READ:
      return {ssl_step::need::readable, {}, 0};
    case SSL_ERROR_WANT_WRITE:
      return {ssl_step::need::writable, {}, 0};
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
      return ended(asio::error::eof);
    case SSL_ERROR_SYSCALL: {
      failed = true;
      if (const unsigned long queued = ERR_get_error(); queued != 0) return ended(openssl_error(queued));
      // The socket read 0 bytes: the peer closed without close_notify.
      if (system_error == 0) return ended(asio::ssl::error::stream_truncated);
      return ended(error_code(system_error, boost::system::system_category()));
    }
    default: {
      failed = true;
      const unsigned long queued = ERR_get_error();
      // OpenSSL 3 says an EOF without close_notify this way; Beast and our sessions know it as stream_truncated.
      if (ERR_GET_REASON(queued) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        return ended(asio::ssl::error::stream_truncated);
      }
      return ended(openssl_error(queued));
    }
  }
}

// Each action clears the thread's error queue first: other connections on this thread may have left entries in it,
// and SSL_get_error reads it.
ssl_step handshake_action::operator()(connection_state& state) const {
  ERR_clear_error();
  errno = 0;
  const int ok = SSL_do_handshake(state.ssl);
  return state.classify(ok, 0);
}

ssl_step read_action::operator()(connection_state& state) const {
  if (size == 0) return {};
  ERR_clear_error();
  errno = 0;
  std::size_t read = 0;
  const int ok = SSL_read_ex(state.ssl, data, capped(size), &read);
  return state.classify(ok, read);
}

ssl_step write_action::operator()(connection_state& state) const {
  if (source.size == 0) return {};
  ERR_clear_error();
  errno = 0;
  std::size_t written = 0;
  const int ok = SSL_write_ex(state.ssl, source.data, source.size, &written);
  return state.classify(ok, written);
}

ssl_step shutdown_action::operator()(connection_state& state) {
  if (state.failed || !state.attached) return {ssl_step::need::nothing, asio::error::not_connected, 0};
  if (!sent) {
    ERR_clear_error();
    errno = 0;
    const int done = SSL_shutdown(state.ssl);
    if (done == 1) return {};  // the peer's close_notify had come already
    if (done < 0) return state.classify(done, 0);
    sent = true;
  }
  // Ours is out; the peer's follows whatever application data it still had in flight, which is dropped.
  char discarded[512];
  for (;;) {
    ERR_clear_error();
    errno = 0;
    std::size_t read = 0;
    const int ok = SSL_read_ex(state.ssl, discarded, sizeof discarded, &read);
    ssl_step step = state.classify(ok, read);
    if (ok > 0) continue;
    if (step.error == asio::error::eof) return {};  // close_notify both ways: the goodbye is complete
    return step;
  }
}

stream::stream(const executor_type& executor, asio::ssl::context& context)
    : state_(std::make_shared<connection_state>(asio::ip::tcp::socket(executor), context.native_handle())) {
}

stream::stream(asio::ip::tcp::socket socket, asio::ssl::context& context)
    : state_(std::make_shared<connection_state>(std::move(socket), context.native_handle())) {
}

stream& stream::operator=(stream&& other) noexcept {
  if (this != &other) {
    close();
    state_ = std::move(other.state_);
  }
  return *this;
}

stream::~stream() { close(); }

bool stream::set_host_name(const std::string& name) {
  if (!SSL_set_tlsext_host_name(state_->ssl, name.c_str())) return false;
  // An address is checked against the certificate's IP entries, a name against its DNS entries (RFC 6125), as
  // Asio's host_name_verification did.
  error_code not_address;
  asio::ip::make_address(name, not_address);
  if (!not_address) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(state_->ssl), name.c_str()) == 1;
  return SSL_set1_host(state_->ssl, name.c_str()) == 1;
}

void stream::expires_after(std::chrono::steady_clock::duration after) {
  state_->set_deadline(std::chrono::steady_clock::now() + after);
}

void stream::expires_never() { state_->set_deadline(std::chrono::steady_clock::time_point::max()); }

void stream::cancel() {
  error_code ignored;
  state_->socket.cancel(ignored);
}

void stream::close() {
  if (!state_) return;  // moved from
  error_code ignored;
  state_->socket.close(ignored);
}

void stream::prepare_handshake(asio::ssl::stream_base::handshake_type side) {
  if (!state_->socket.is_open()) return;  // the operation reports it
  state_->attach();
  if (side == asio::ssl::stream_base::client) {
    SSL_set_connect_state(state_->ssl);
  } else {
    SSL_set_accept_state(state_->ssl);
  }
}

void stream::shutdown(error_code& ec) {
  ec = {};
  if (state_->failed || !state_->attached || !state_->socket.is_open()) return;
  ERR_clear_error();
  errno = 0;
  const int done = SSL_shutdown(state_->ssl);
  if (done < 0) {
    const ssl_step step = state_->classify(done, 0);
    if (step.next == ssl_step::need::nothing) ec = step.error;
  }
}

void teardown(boost::beast::role_type, stream& tls, error_code& ec) { tls.shutdown(ec); }

}  // namespace tls_stream
