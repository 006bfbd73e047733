// The module's HTTPS client refuses a server whose certificate names another host or has expired, with the
// reason in its error; a certificate that is right passes (the control). Certificates are made here.
#include <utility>  // before Asio: Debian's Boost 1.74 needs std::exchange declared

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <future>
#include <thread>

#include "ads_client/https_client.hpp"
#include "ads_client/rsa_key.hpp"
#include "tests/support/x509_extension.hpp"

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;
using ads_client::rsa_key;

namespace {

using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;
constexpr long day = 24 * 3600;

// A certificate for `subject`, valid from now+`from` to now+`until` seconds, signed by `issuer` (self when null).
x509_ptr make_cert(const rsa_key& subject, const char* alt_names, X509* issuer, const rsa_key& issuer_key, long from,
                   long until, const std::string& common_name = "test server") {
  x509_ptr cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  static std::mt19937 serials(7);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(serials() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), from);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), until);
  X509_set_pubkey(cert.get(), subject.native());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  test_support::add_certificate_role(cert.get(), signer, alt_names);
  REQUIRE(X509_sign(cert.get(), issuer_key.native(), EVP_sha256()) > 0);
  return cert;
}

std::string pem_of(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

// A CA written to a file, for the client to trust.
struct test_ca {
  static int next_id() {
    static int id = 0;
    return ++id;
  }
  const std::string name = "test CA " + std::to_string(next_id());
  rsa_key key = rsa_key::generate(2048);
  x509_ptr cert = make_cert(key, nullptr, nullptr, key, -day, 30 * day, name);
  std::filesystem::path file =
      std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name + ".pem");
  test_ca() { std::ofstream(file) << pem_of(cert.get()); }
  ~test_ca() { std::filesystem::remove(file); }
};

// A TLS server on loopback that serves one connection with a 200 (if its handshake succeeds).
class one_shot_server {
 public:
  one_shot_server(const std::string& cert_pem, const std::string& key_pem) {
    tls_.use_certificate_chain(asio::buffer(cert_pem));
    tls_.use_private_key(asio::buffer(key_pem), ssl::context::pem);
    thread_ = std::thread([this] { serve(); });
  }
  ~one_shot_server() { thread_.join(); }
  std::string port() const { return std::to_string(acceptor_.local_endpoint().port()); }

 private:
  void serve() {
    asio::ip::tcp::socket socket(io_);
    acceptor_.accept(socket);
    ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), tls_);
    boost::system::error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) return;  // the client refused us
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    http::response<http::string_body> response{http::status::ok, 11};
    response.body() = "{}";
    response.prepare_payload();
    http::write(stream, response, ec);
  }

  asio::io_context io_;
  ssl::context tls_{ssl::context::tls_server};
  asio::ip::tcp::acceptor acceptor_{io_, {asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread_;
};

// What the module's client makes of a server presenting `cert` when it expects "localhost".
ads_client::http_outcome exchange_with(const test_ca& ca, const x509_ptr& cert, const rsa_key& key) {
  one_shot_server server(pem_of(cert.get()), key.private_pem());
  asio::io_context io;
  auto client = ads_client::https_client::create(io.get_executor(),
                                                 {"127.0.0.1", server.port(), "localhost", ca.file.string()});
  std::optional<ads_client::http_outcome> outcome;
  client->request({"GET", "/dsns/x.json", {}, ""}, std::chrono::seconds(10),
                  [&](ads_client::http_outcome result) { outcome = std::move(result); });
  io.run();
  client->close();
  REQUIRE(outcome.has_value());
  return *outcome;
}

std::string failure_of(const ads_client::http_outcome& outcome) {
  const auto* failure = std::get_if<ads_client::transport_error>(&outcome);
  return failure ? failure->what : std::string();
}

}  // namespace

TEST_CASE("the client accepts a current certificate for its host name from its CA", "[ads_client][tls]") {
  test_ca ca;
  const rsa_key key = rsa_key::generate(2048);
  const auto outcome = exchange_with(ca, make_cert(key, "DNS:localhost", ca.cert.get(), ca.key, -day, day), key);
  INFO(failure_of(outcome));
  REQUIRE(std::holds_alternative<ads_client::http_response>(outcome));
  CHECK(std::get<ads_client::http_response>(outcome).status == 200);
}

TEST_CASE("the client refuses a certificate for another host name", "[ads_client][tls]") {
  test_ca ca;
  const rsa_key key = rsa_key::generate(2048);
  const auto outcome =
      exchange_with(ca, make_cert(key, "DNS:ads-dev.example.com", ca.cert.get(), ca.key, -day, day), key);
  CHECK(failure_of(outcome).find("certificate verify failed") != std::string::npos);
}

TEST_CASE("the client refuses an expired certificate and one not yet valid", "[ads_client][tls]") {
  test_ca ca;
  const rsa_key key = rsa_key::generate(2048);
  CHECK(failure_of(exchange_with(ca, make_cert(key, "DNS:localhost", ca.cert.get(), ca.key, -2 * day, -day), key))
            .find("certificate verify failed") != std::string::npos);
  CHECK(failure_of(exchange_with(ca, make_cert(key, "DNS:localhost", ca.cert.get(), ca.key, day, 2 * day), key))
            .find("certificate verify failed") != std::string::npos);
}

TEST_CASE("the client refuses a certificate from a CA it does not trust", "[ads_client][tls]") {
  test_ca ca;
  test_ca stranger;
  const rsa_key key = rsa_key::generate(2048);
  const auto outcome =
      exchange_with(ca, make_cert(key, "DNS:localhost", stranger.cert.get(), stranger.key, -day, day), key);
  INFO(failure_of(outcome));
  CHECK(failure_of(outcome).find("certificate verify failed") != std::string::npos);
}

// close() while the host name is being resolved: the request ends "closed" and no connection is made, whether the
// resolution was still running or had just finished (its completion already queued, beyond cancelling). The
// second case once let a finished resolution connect for a request that was gone.
TEST_CASE("a request closed while its host is resolved ends closed and connects nowhere", "[ads_client]") {
  asio::io_context io;
  asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
  listener.non_blocking(true);
  const std::string port = std::to_string(listener.local_endpoint().port());
  auto client = ads_client::https_client::create(io.get_executor(), {"127.0.0.1", port, "localhost", ""});
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> outcomes;
    client->request({"GET", "/dsns/x.json", {}, ""}, std::chrono::seconds(10),
                    [&](ads_client::http_outcome result) { outcomes.push_back(failure_of(result)); });
    // Give the resolver thread a varying head start, so some rounds close after it finished and some before.
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(round * 5);
    while (std::chrono::steady_clock::now() < until) std::this_thread::yield();
    client->close();
    io.restart();
    io.run();
    INFO("round " << round);
    REQUIRE(outcomes == std::vector<std::string>{"closed"});
    asio::ip::tcp::socket stray(io);
    boost::system::error_code ec;
    listener.accept(stray, ec);
    REQUIRE(ec == asio::error::would_block);
  }
}

// close() while the answer is awaited: the read in flight ends quietly and the request ends "closed". The parser and
// buffer that read uses must outlive the connection's drop (under ASan this once showed a use after free).
TEST_CASE("a request closed while its answer is awaited ends closed, and the client serves the next one",
          "[ads_client][tls]") {
  test_ca ca;
  const rsa_key key = rsa_key::generate(2048);
  const auto cert = make_cert(key, "DNS:localhost", ca.cert.get(), ca.key, -day, day);
  asio::io_context server_io;
  ssl::context tls{ssl::context::tls_server};
  tls.use_certificate_chain(asio::buffer(pem_of(cert.get())));
  tls.use_private_key(asio::buffer(key.private_pem()), ssl::context::pem);
  asio::ip::tcp::acceptor acceptor(server_io, {asio::ip::make_address("127.0.0.1"), 0});
  std::promise<void> request_read;
  std::thread server([&] {
    // First connection: read the request, never answer, wait for the client to go. Second: answer 200.
    for (int connection = 0; connection < 2; ++connection) {
      asio::ip::tcp::socket socket(server_io);
      acceptor.accept(socket);
      ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), tls);
      boost::system::error_code ec;
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(stream, buffer, request, ec);
      if (ec) return;
      if (connection == 0) {
        request_read.set_value();
        http::read(stream, buffer, request, ec);  // ends when the client drops the connection
        continue;
      }
      http::response<http::string_body> response{http::status::ok, 11};
      response.body() = "{}";
      response.prepare_payload();
      http::write(stream, response, ec);
    }
  });
  asio::io_context io;
  auto client = ads_client::https_client::create(
      io.get_executor(), {"127.0.0.1", std::to_string(acceptor.local_endpoint().port()), "localhost", ca.file.string()});
  std::vector<std::string> first;
  client->request({"GET", "/dsns/x.json", {}, ""}, std::chrono::seconds(10),
                  [&](ads_client::http_outcome result) { first.push_back(failure_of(result)); });
  auto read = request_read.get_future();
  while (read.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) io.run_one_for(std::chrono::milliseconds(50));
  io.poll();  // the client is now waiting for the answer
  client->close();
  std::optional<ads_client::http_outcome> second;
  client->request({"GET", "/dsns/y.json", {}, ""}, std::chrono::seconds(10),
                  [&](ads_client::http_outcome result) { second = std::move(result); });
  io.run();
  server.join();
  CHECK(first == std::vector<std::string>{"closed"});
  REQUIRE(second.has_value());
  INFO(failure_of(*second));
  REQUIRE(std::holds_alternative<ads_client::http_response>(*second));
  CHECK(std::get<ads_client::http_response>(*second).status == 200);
}
