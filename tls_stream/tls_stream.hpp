#pragma once
// tls_stream: TLS over a TCP socket, OpenSSL reading and writing the socket's descriptor itself (a socket BIO, as
// SSL_set_fd makes, that sends with MSG_NOSIGNAL) and Asio's reactor telling it when to try again. Beast's
// ssl_stream (Asio's ssl::stream) keeps two 17 KB vectors and a 17 KB BIO pair per connection for as long as it
// lives; here an idle connection holds only OpenSSL's own state, its record buffers released
// (SSL_MODE_RELEASE_BUFFERS): about 26 KB instead of 95 KB per connection, which is what lets a fleet of modules
// keep its connections (README, fleet figures).
//
// The stream models Beast's AsyncStream, so beast::http::async_read/async_write and a beast::websocket::stream run
// on it unchanged; it reports the error codes Beast's ssl_stream over a tcp_stream does (eof on the peer's
// close_notify, ssl::error::stream_truncated on an EOF without one, operation_aborted when cancelled or closed,
// beast::error::timeout when the deadline passed), and holds every operation to a deadline like tcp_stream, with
// no timer running while nothing is in flight (a kept-alive idle connection costs no timer).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <openssl/ssl.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/system/error_code.hpp>

namespace tls_stream {

// What an SSL call needs before it can go on, or that it is done (with its error and byte count).
struct ssl_step {
  enum class need { nothing, readable, writable } next = need::nothing;
  boost::system::error_code error;
  std::size_t bytes = 0;
};

// The maximum plaintext of one TLS record: a write sends at most this much, so one call makes at most one record.
inline constexpr std::size_t max_record_plaintext = 16 * 1024;

// One connection's socket, SSL object and deadline. The operations in flight share it, so a stream moved or
// destroyed while they run leaves them something valid to finish on.
struct connection_state : std::enable_shared_from_this<connection_state> {
  connection_state(boost::asio::ip::tcp::socket socket, SSL_CTX* context);
  ~connection_state();
  connection_state(const connection_state&) = delete;
  connection_state& operator=(const connection_state&) = delete;

  // Hands the socket's descriptor to OpenSSL once the socket is open (connected or accepted), non-blocking.
  void attach();
  // Counts an operation in or out; the deadline's timer runs only while at least one is in flight.
  void operation_started();
  void operation_finished();
  // A new deadline, for the operations in flight as for those to come (time_point::max(): none).
  void set_deadline(std::chrono::steady_clock::time_point when);
  // What an operation reports when its wait ended with `ec`: timeout once the deadline closed the socket.
  boost::system::error_code outcome(boost::system::error_code ec) const;
  // One SSL call's result as the next step: wait for the socket, or done with an error code Beast knows.
  ssl_step classify(int ok, std::size_t bytes);

  boost::asio::ip::tcp::socket socket;
  SSL* ssl;
  boost::asio::steady_timer timer;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  int in_flight = 0;
  std::uint64_t timer_generation = 0;  // names the newest wait on the timer; an older one firing does nothing
  bool timer_armed = false;
  bool timed_out = false;
  bool attached = false;
  bool failed = false;  // OpenSSL reported a fatal error: no TLS goodbye may follow

 private:
  void arm_timer();
  void disarm_timer();
};

// An SSL operation driven by the reactor: `action` makes one SSL call and says what the socket must become before
// the next one. Completes through a post when it ends without waiting, as every Asio operation must.
template <class Action>
class ssl_operation {
 public:
  ssl_operation(std::shared_ptr<connection_state> state, Action action)
      : state_(std::move(state)), action_(std::move(action)) {}

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {}) {
    if (finished_) {
      state_->operation_finished();
      return complete(self);
    }
    if (!started_) {
      started_ = true;
      state_->operation_started();
    } else if (ec) {
      return end(self, ssl_step{ssl_step::need::nothing, state_->outcome(ec), 0});
    }
    // The socket may have been closed (close(), the deadline) after this wait had already succeeded: its
    // descriptor number may now belong to another connection, so OpenSSL must not touch it.
    if (!state_->socket.is_open()) {
      return end(self, ssl_step{ssl_step::need::nothing, state_->outcome(boost::asio::error::operation_aborted), 0});
    }
    const ssl_step step = action_(*state_);
    if (step.next == ssl_step::need::readable) {
      waited_ = true;
      return state_->socket.async_wait(boost::asio::ip::tcp::socket::wait_read, std::move(self));
    }
    if (step.next == ssl_step::need::writable) {
      waited_ = true;
      return state_->socket.async_wait(boost::asio::ip::tcp::socket::wait_write, std::move(self));
    }
    end(self, step);
  }

 private:
  template <class Self>
  void end(Self& self, ssl_step step) {
    result_ = std::move(step);
    finished_ = true;
    if (!waited_) return boost::asio::post(state_->socket.get_executor(), std::move(self));
    state_->operation_finished();
    complete(self);
  }

  template <class Self>
  void complete(Self& self) {
    if constexpr (Action::reports_bytes) {
      self.complete(result_.error, result_.bytes);
    } else {
      self.complete(result_.error);
    }
  }

  std::shared_ptr<connection_state> state_;
  Action action_;
  ssl_step result_;
  bool started_ = false;
  bool waited_ = false;
  bool finished_ = false;
};

// TCP connect under the stream's deadline: to each resolved endpoint in turn (the socket opened afresh for each), or
// to one endpoint on the socket as the caller opened it (bound to a source address, say).
template <class Target>
class connect_operation {
 public:
  connect_operation(std::shared_ptr<connection_state> state, Target target)
      : state_(std::move(state)), target_(std::move(target)) {}

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {}, const boost::asio::ip::tcp::endpoint& = {}) {
    if (!started_) {
      started_ = true;
      state_->operation_started();
      if constexpr (std::is_same_v<Target, boost::asio::ip::tcp::endpoint>)
        return state_->socket.async_connect(target_, std::move(self));
      else
        return boost::asio::async_connect(state_->socket, target_, std::move(self));
    }
    state_->operation_finished();
    self.complete(ec ? state_->outcome(ec) : ec);
  }

 private:
  std::shared_ptr<connection_state> state_;
  Target target_;
  bool started_ = false;
};

// The bytes one write hands OpenSSL: the first buffer itself when it fills the record alone, else the sequence's
// first record's worth copied into one block, so a header and a body do not each become a record of their own.
struct write_source {
  const void* data = nullptr;
  std::size_t size = 0;
  std::unique_ptr<char[]> copy;  // owned while the write runs; its address stays put when the operation moves
};

template <class ConstBufferSequence>
write_source flatten_for_write(const ConstBufferSequence& buffers) {
  const std::size_t total = std::min(boost::asio::buffer_size(buffers), max_record_plaintext);
  write_source source;
  for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
    const boost::asio::const_buffer buffer(*it);
    if (buffer.size() == 0) continue;
    if (buffer.size() >= total) {
      source.data = buffer.data();
      source.size = total;
      return source;
    }
    break;
  }
  if (total == 0) return source;
  source.copy = std::make_unique<char[]>(total);
  source.size = boost::asio::buffer_copy(boost::asio::buffer(source.copy.get(), total), buffers);
  source.data = source.copy.get();
  return source;
}

// The SSL calls each operation repeats until it is done.
struct handshake_action {
  static constexpr bool reports_bytes = false;
  ssl_step operator()(connection_state& state) const;
};
struct read_action {
  static constexpr bool reports_bytes = true;
  void* data;
  std::size_t size;
  ssl_step operator()(connection_state& state) const;
};
struct write_action {
  static constexpr bool reports_bytes = true;
  write_source source;
  ssl_step operator()(connection_state& state) const;
};
// Sends close_notify, then reads (discarding) until the peer's arrives or the connection ends.
struct shutdown_action {
  static constexpr bool reports_bytes = false;
  bool sent = false;
  ssl_step operator()(connection_state& state);
};

// A TLS connection over a TCP socket, OpenSSL on its descriptor; Beast's AsyncStream (see the top of the file).
class stream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using next_layer_type = boost::asio::ip::tcp::socket;
  using lowest_layer_type = boost::asio::ip::tcp::socket;

  // A client stream, not connected yet (async_connect, then async_handshake).
  stream(const executor_type& executor, boost::asio::ssl::context& context);
  // A stream over an accepted or connected socket.
  stream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context);
  stream(stream&&) noexcept = default;
  stream& operator=(stream&&) noexcept;
  ~stream();  // closes the socket: operations still in flight end with operation_aborted

  executor_type get_executor() const { return state_->socket.get_executor(); }
  next_layer_type& next_layer() { return state_->socket; }
  const next_layer_type& next_layer() const { return state_->socket; }
  lowest_layer_type& lowest_layer() { return state_->socket; }
  SSL* native_handle() const { return state_->ssl; }

  // The client's side of the name check: SNI, and the name (or address) the server's certificate must carry.
  // False when OpenSSL refuses the name.
  bool set_host_name(const std::string& name);

  // The deadline of the operations started from now on, and of those in flight (as beast::tcp_stream).
  void expires_after(std::chrono::steady_clock::duration after);
  void expires_never();

  void cancel();  // operations in flight end with operation_aborted
  void close();   // the same, and the socket is closed; no TLS goodbye

  template <class Token>
  auto async_connect(const boost::asio::ip::tcp::resolver::results_type& endpoints, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code)>(
        connect_operation<boost::asio::ip::tcp::resolver::results_type>(state_, endpoints), token, state_->socket);
  }
  // To one endpoint, on the socket as it is (next_layer(), opened and bound by the caller).
  template <class Token>
  auto async_connect(const boost::asio::ip::tcp::endpoint& endpoint, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code)>(
        connect_operation<boost::asio::ip::tcp::endpoint>(state_, endpoint), token, state_->socket);
  }

  template <class Token>
  auto async_handshake(boost::asio::ssl::stream_base::handshake_type side, Token&& token) {
    prepare_handshake(side);
    return start(handshake_action{}, std::forward<Token>(token));
  }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    // OpenSSL reads into one block: the first non-empty buffer (a read_some may fill less than it is given).
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
         ++it) {
      const boost::asio::mutable_buffer buffer(*it);
      if (buffer.size() > 0) return start(read_action{buffer.data(), buffer.size()}, std::forward<Token>(token));
    }
    return start(read_action{nullptr, 0}, std::forward<Token>(token));
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return start(write_action{flatten_for_write(buffers)}, std::forward<Token>(token));
  }

  template <class Token>
  auto async_shutdown(Token&& token) {
    return start(shutdown_action{}, std::forward<Token>(token));
  }

  // The goodbye without waiting (Beast WebSocket's synchronous teardown): close_notify is sent if the socket takes
  // it now; the peer's is not awaited.
  void shutdown(boost::system::error_code& ec);

 private:
  void prepare_handshake(boost::asio::ssl::stream_base::handshake_type side);

  template <class Action, class Token>
  auto start(Action action, Token&& token) {
    using signature = std::conditional_t<Action::reports_bytes, void(boost::system::error_code, std::size_t),
                                         void(boost::system::error_code)>;
    return boost::asio::async_compose<Token, signature>(ssl_operation<Action>(state_, std::move(action)), token,
                                                        state_->socket);
  }

  std::shared_ptr<connection_state> state_;
};

// Beast WebSocket's teardown of a stream (found by argument-dependent lookup): the TLS goodbye both ways.
template <class TeardownHandler>
void async_teardown(boost::beast::role_type, stream& tls, TeardownHandler&& handler) {
  tls.async_shutdown(std::forward<TeardownHandler>(handler));
}
void teardown(boost::beast::role_type, stream& tls, boost::system::error_code& ec);

}  // namespace tls_stream
