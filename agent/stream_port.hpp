#pragma once
// stream_port: what the secure services (AT+CCH*) ask of the I/O layer — a TCP stream to a server, with TLS when
// asked, opened, written, read and closed by stream_id; the I/O layer answers through stream_events.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/socket_service.hpp"
#include "agent/ssl_contexts.hpp"

namespace agent {

using stream_id = std::uint64_t;

// The TLS a stream runs, from an SSL context (AT+CSSLCFG) and the certificates it names.
struct tls_setup {
  ssl_context::version version = ssl_context::version::any;
  bool verify_server = false;  // the server's chain against ca_pem, and its name against the host
  std::string ca_pem = {};     // PEM (or DER) bytes of the trusted CA certificates
  std::string client_cert = {};  // PEM (or DER) bytes; empty: none presented
  std::string client_key = {};
  std::optional<std::string> sni = {};  // the host name sent in the handshake (enableSNI)
  std::chrono::seconds handshake_timeout{300};
  bool operator==(const tls_setup&) const = default;
};

class cert_store;

// The TLS of a stream to `host` on SSL context `context`; nullopt when a certificate or key the context needs is not
// in the store (the manual's "not set certificates").
std::optional<tls_setup> tls_setup_for(const ssl_context& context, const cert_store& certs, const std::string& host);

// Why a stream did not open (or broke).
enum class stream_error { none, dns_failed, connect_failed, timeout, handshake_failed };

class stream_port {
 public:
  virtual ~stream_port() = default;
  // Connects within `timeout` (and then runs the handshake within tls->handshake_timeout); answered by
  // stream_events::on_opened.
  virtual void open(stream_id id, socket_endpoint remote, std::optional<tls_setup> tls,
                    std::chrono::milliseconds timeout) = 0;
  virtual void send(stream_id id, std::string bytes) = 0;  // answered by on_sent once written
  virtual void close(stream_id id) = 0;                    // at once; nothing more is reported for `id`
  virtual void resume_receiving(stream_id id) = 0;         // rx_room(id) is above 0 again
};

class stream_events {
 public:
  virtual ~stream_events() = default;
  virtual void on_opened(stream_id id, stream_error error) = 0;
  virtual void on_sent(stream_id id, std::size_t bytes) = 0;
  // Never more than rx_room(id) bytes; reading stops while it is 0.
  virtual void on_received(stream_id id, std::string_view bytes) = 0;
  virtual void on_closed(stream_id id) = 0;  // the peer closed, or the stream broke
  virtual std::size_t rx_room(stream_id id) const = 0;
};

}  // namespace agent
