// tls_stream on a real loopback connection, both ends in one io_context: the handshake verifies the host name,
// bodies far larger than a record pass both ways and through Beast's HTTP and WebSocket, reads of any size see the
// bytes in order, the peer's goodbye reads as eof and its absence as stream_truncated, cancel and close end what
// is in flight, a deadline ends an operation with timeout and an idle connection leaves no timer behind.
#include <utility>  // before Asio: Debian's Boost 1.74 needs std::exchange declared

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/x509_extension.hpp"
#include "tls_stream/tls_stream.hpp"

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using boost::system::error_code;

namespace {

constexpr auto test_deadline = std::chrono::seconds(10);  // no step here takes more than milliseconds

using key_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

key_ptr make_key() { return key_ptr(EVP_EC_gen("P-256"), EVP_PKEY_free); }

// A certificate for `key`, a CA when `alt_names` is null, signed by `issuer` (self when null).
cert_ptr make_cert(EVP_PKEY* key, const char* alt_names, X509* issuer, EVP_PKEY* issuer_key, const char* name) {
  cert_ptr cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  test_support::add_certificate_role(cert.get(), signer, alt_names);
  REQUIRE(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0);
  return cert;
}

// A CA, a server certificate for "localhost" it signed, and the two contexts (one each, as the process has).
struct tls_world {
  key_ptr ca_key = make_key();
  cert_ptr ca = make_cert(ca_key.get(), nullptr, nullptr, ca_key.get(), "tls_stream test CA");
  key_ptr server_key = make_key();
  cert_ptr server_cert = make_cert(server_key.get(), "DNS:localhost", ca.get(), ca_key.get(), "localhost");
  ssl::context server{ssl::context::tls_server};
  ssl::context client{ssl::context::tls_client};

  tls_world() {
    REQUIRE(SSL_CTX_use_certificate(server.native_handle(), server_cert.get()) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey(server.native_handle(), server_key.get()) == 1);
    REQUIRE(X509_STORE_add_cert(SSL_CTX_get_cert_store(client.native_handle()), ca.get()) == 1);
    client.set_verify_mode(ssl::verify_peer);
  }
};

// Runs the loop until `done` holds, or fails the test at the deadline.
template <class Done>
void run_until(asio::io_context& io, Done done) {
  const auto end = std::chrono::steady_clock::now() + test_deadline;
  io.restart();
  while (!done()) {
    REQUIRE(std::chrono::steady_clock::now() < end);
    io.run_one_for(std::chrono::milliseconds(100));
    io.restart();
  }
}

// A connected pair on loopback: `client` and `server` streams, both handshakes done (unless told otherwise).
struct tls_pair {
  tls_world& world;
  asio::io_context io;
  std::optional<tls_stream::stream> client;
  std::optional<tls_stream::stream> server;
  error_code client_handshake = asio::error::would_block;
  error_code server_handshake = asio::error::would_block;

  explicit tls_pair(tls_world& w, const std::string& host_name = "localhost") : world(w) {
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    client.emplace(io.get_executor(), world.client);
    REQUIRE(client->set_host_name(host_name));
    asio::ip::tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve("127.0.0.1", std::to_string(acceptor.local_endpoint().port()));
    std::optional<error_code> connected;
    std::optional<error_code> accepted_ec;
    asio::ip::tcp::socket accepted(io);
    acceptor.async_accept(accepted, [&](error_code ec) { accepted_ec = ec; });
    client->expires_after(test_deadline);
    client->async_connect(endpoints, [&](error_code ec) { connected = ec; });
    run_until(io, [&] { return connected.has_value() && accepted_ec.has_value(); });
    REQUIRE_FALSE(*connected);
    REQUIRE_FALSE(*accepted_ec);
    server.emplace(std::move(accepted), world.server);
    client->async_handshake(ssl::stream_base::client, [&](error_code ec) { client_handshake = ec; });
    server->async_handshake(ssl::stream_base::server, [&](error_code ec) { server_handshake = ec; });
    run_until(io, [&] {
      return client_handshake != asio::error::would_block && server_handshake != asio::error::would_block;
    });
  }
};

std::string pattern(std::size_t size, unsigned seed) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + (i * 7 + seed + i / 251) % 26);
  return text;
}

}  // namespace

TEST_CASE("tls_stream: a handshake verifies the server's host name", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  CHECK_FALSE(pair.client_handshake);
  CHECK_FALSE(pair.server_handshake);
  CHECK(SSL_get_verify_result(pair.client->native_handle()) == X509_V_OK);
  CHECK(std::string(SSL_get_servername(pair.server->native_handle(), TLSEXT_NAMETYPE_host_name)) == "localhost");
}

TEST_CASE("tls_stream: a certificate for another host name is refused", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world, "ads-dev.example.com");
  REQUIRE(pair.client_handshake);
  CHECK(pair.client_handshake.message().find("certificate verify failed") != std::string::npos);
  CHECK(SSL_get_verify_result(pair.client->native_handle()) == X509_V_ERR_HOSTNAME_MISMATCH);
  CHECK(pair.server_handshake);  // the client's alert
}

TEST_CASE("tls_stream: bodies far larger than a record pass both ways at once", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  const std::string up = pattern(3 * 1024 * 1024 + 17, 1);
  const std::string down = pattern(2 * 1024 * 1024 + 5, 2);
  std::string got_up(up.size(), '\0');
  std::string got_down(down.size(), '\0');
  int done = 0;
  std::vector<error_code> errors;
  auto note = [&](error_code ec, std::size_t) {
    errors.push_back(ec);
    ++done;
  };
  // Each end has a read and a write in flight together, on the one SSL object.
  asio::async_write(*pair.client, asio::buffer(up), note);
  asio::async_write(*pair.server, asio::buffer(down), note);
  asio::async_read(*pair.server, asio::buffer(got_up), note);
  asio::async_read(*pair.client, asio::buffer(got_down), note);
  run_until(pair.io, [&] { return done == 4; });
  for (const auto& ec : errors) CHECK_FALSE(ec);
  CHECK(got_up == up);
  CHECK(got_down == down);
}

TEST_CASE("tls_stream: small buffers of one write go out together, up to one record", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  std::vector<std::string> parts;
  for (int i = 0; i < 200; ++i) parts.push_back(pattern(100, static_cast<unsigned>(i)));
  std::vector<asio::const_buffer> buffers;
  for (const auto& part : parts) buffers.push_back(asio::buffer(part));
  std::optional<std::size_t> written;
  pair.client->async_write_some(buffers, [&](error_code ec, std::size_t bytes) {
    CHECK_FALSE(ec);
    written = bytes;
  });
  run_until(pair.io, [&] { return written.has_value(); });
  CHECK(*written == tls_stream::max_record_plaintext);  // 20,000 bytes offered, one full record taken

  // What the server reads in one read_some is that one record, the buffers' bytes in order.
  std::string record(32 * 1024, '\0');
  std::optional<std::size_t> read;
  pair.server->async_read_some(asio::buffer(record), [&](error_code ec, std::size_t bytes) {
    CHECK_FALSE(ec);
    read = bytes;
  });
  run_until(pair.io, [&] { return read.has_value(); });
  std::string all;
  for (const auto& part : parts) all += part;
  CHECK(*read == tls_stream::max_record_plaintext);
  CHECK(record.substr(0, *read) == all.substr(0, *read));
}

TEST_CASE("tls_stream: reads of any size see the bytes in order", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  const std::string sent = pattern(100 * 1000, 3);
  bool written = false;
  asio::async_write(*pair.server, asio::buffer(sent), [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    written = true;
  });
  // Read sizes cycling through 1..4099 bytes split the records at every kind of offset.
  std::string got;
  std::size_t size = 1;
  std::vector<char> buffer(4099);
  while (got.size() < sent.size()) {
    std::optional<std::size_t> read;
    pair.client->async_read_some(asio::buffer(buffer.data(), size), [&](error_code ec, std::size_t bytes) {
      REQUIRE_FALSE(ec);
      read = bytes;
    });
    run_until(pair.io, [&] { return read.has_value(); });
    REQUIRE(*read >= 1);
    REQUIRE(*read <= size);
    got.append(buffer.data(), *read);
    size = size * 3 % 4099 + 1;
  }
  run_until(pair.io, [&] { return written; });
  CHECK(got == sent);
}

TEST_CASE("tls_stream: Beast's HTTP reads and writes messages on it, bodies larger than records", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  http::request<http::string_body> request{http::verb::post, "/upload", 11};
  request.set(http::field::host, "localhost");
  request.body() = pattern(300 * 1000, 4);
  request.prepare_payload();
  beast::flat_buffer server_buffer;
  http::request<http::string_body> received;
  int steps = 0;
  http::async_write(*pair.client, request, [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    ++steps;
  });
  http::async_read(*pair.server, server_buffer, received, [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    ++steps;
  });
  run_until(pair.io, [&] { return steps == 2; });
  CHECK(received.body() == request.body());

  http::response<http::string_body> response{http::status::ok, 11};
  response.body() = pattern(500 * 1000, 5);
  response.prepare_payload();
  beast::flat_buffer client_buffer;
  http::response<http::string_body> answer;
  http::async_write(*pair.server, response, [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    ++steps;
  });
  http::async_read(*pair.client, client_buffer, answer, [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    ++steps;
  });
  run_until(pair.io, [&] { return steps == 4; });
  CHECK(answer.result_int() == 200);
  CHECK(answer.body() == response.body());
}

TEST_CASE("tls_stream: the peer's close_notify reads as eof, and the goodbye completes both ways", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  std::optional<error_code> server_shutdown;
  std::optional<error_code> client_read;
  std::optional<error_code> client_shutdown;
  char byte = 0;
  pair.server->expires_after(test_deadline);
  pair.server->async_shutdown([&](error_code ec) { server_shutdown = ec; });
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) {
    client_read = ec;
    pair.client->async_shutdown([&](error_code shutdown_ec) { client_shutdown = shutdown_ec; });
  });
  run_until(pair.io, [&] { return server_shutdown && client_shutdown; });
  CHECK(*client_read == asio::error::eof);
  CHECK_FALSE(*client_shutdown);  // the server's had come: ours completes it
  CHECK_FALSE(*server_shutdown);  // the client's answered ours
}

TEST_CASE("tls_stream: a connection ended without close_notify reads as stream_truncated", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  std::optional<error_code> client_read;
  char byte = 0;
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { client_read = ec; });
  pair.server->close();
  run_until(pair.io, [&] { return client_read.has_value(); });
  CHECK(*client_read == ssl::error::stream_truncated);
}

TEST_CASE("tls_stream: cancel and close end the operations in flight with operation_aborted", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  char byte = 0;
  std::optional<error_code> first;
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { first = ec; });
  pair.io.restart();
  pair.io.poll();  // the read is now waiting on the socket
  pair.client->cancel();
  run_until(pair.io, [&] { return first.has_value(); });
  CHECK(*first == asio::error::operation_aborted);

  // The connection is still good after a cancel: a byte sent now is read.
  std::optional<error_code> second;
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { second = ec; });
  asio::async_write(*pair.server, asio::buffer("x", 1), [](error_code, std::size_t) {});
  run_until(pair.io, [&] { return second.has_value(); });
  CHECK_FALSE(*second);
  CHECK(byte == 'x');

  std::optional<error_code> third;
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { third = ec; });
  pair.io.restart();
  pair.io.poll();
  pair.client->close();
  run_until(pair.io, [&] { return third.has_value(); });
  CHECK(*third == asio::error::operation_aborted);
}

TEST_CASE("tls_stream: an operation past its deadline ends with timeout and the connection closes", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  char byte = 0;
  std::optional<error_code> read;
  pair.client->expires_after(std::chrono::milliseconds(20));
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { read = ec; });
  run_until(pair.io, [&] { return read.has_value(); });
  CHECK(*read == beast::error::timeout);
  CHECK_FALSE(pair.client->next_layer().is_open());
  // The server sees the connection go without a goodbye.
  std::optional<error_code> server_read;
  pair.server->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { server_read = ec; });
  run_until(pair.io, [&] { return server_read.has_value(); });
  CHECK(*server_read == ssl::error::stream_truncated);
}

TEST_CASE("tls_stream: an idle connection keeps no timer once its operations are done", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  pair.io.restart();
  pair.io.run_for(test_deadline);  // the handshake's deadline (set before connect) must not keep the loop busy
  REQUIRE(pair.io.stopped());
  pair.client->expires_after(std::chrono::hours(1));
  char byte = 0;
  std::optional<error_code> read;
  pair.client->async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t) { read = ec; });
  asio::async_write(*pair.server, asio::buffer("y", 1), [](error_code, std::size_t) {});
  // run_for returns before its time only when nothing is left to wait for: no timer is armed for the idle stream.
  const auto started = std::chrono::steady_clock::now();
  pair.io.restart();
  pair.io.run_for(test_deadline);
  CHECK(pair.io.stopped());
  CHECK(std::chrono::steady_clock::now() - started < test_deadline);
  REQUIRE(read.has_value());
  CHECK_FALSE(*read);
}

TEST_CASE("tls_stream: a WebSocket runs over it and closes with the TLS goodbye (teardown)", "[tls_stream]") {
  tls_world world;
  tls_pair pair(world);
  websocket::stream<tls_stream::stream> client(std::move(*pair.client));
  websocket::stream<tls_stream::stream> server(std::move(*pair.server));
  int steps = 0;
  server.async_accept([&](error_code ec) {
    CHECK_FALSE(ec);
    ++steps;
  });
  client.async_handshake("localhost", "/terminal", [&](error_code ec) {
    CHECK_FALSE(ec);
    ++steps;
  });
  run_until(pair.io, [&] { return steps == 2; });

  const std::string typed = pattern(40 * 1000, 6);
  beast::flat_buffer got;
  client.binary(true);
  client.async_write(asio::buffer(typed), [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    ++steps;
  });
  server.async_read(got, [&](error_code ec, std::size_t) {
    CHECK_FALSE(ec);
    ++steps;
  });
  run_until(pair.io, [&] { return steps == 4; });
  CHECK(beast::buffers_to_string(got.data()) == typed);

  std::optional<error_code> server_read;
  std::optional<error_code> client_close;
  got.clear();
  server.async_read(got, [&](error_code ec, std::size_t) { server_read = ec; });
  client.async_close(websocket::close_code::normal, [&](error_code ec) { client_close = ec; });
  run_until(pair.io, [&] { return server_read && client_close; });
  CHECK(*server_read == websocket::error::closed);
  CHECK_FALSE(*client_close);
}
