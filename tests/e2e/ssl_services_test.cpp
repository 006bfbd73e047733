// The module's flash (files, certificates) and its SSL service through the real daemon: files survive a restart,
// and AT+CCH* sessions reach a TLS server on the loopback network whose CA the test made, verified with the right
// CA and refused with a wrong one.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "e2e_helpers.hpp"
#include "ads_sim/tls_material.hpp"
#include "common/read_file.hpp"
#include "harness/harness.hpp"
#include "harness/loopback_peer.hpp"
#include "harness/running_program.hpp"

using namespace e2e;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;

namespace {

// The next thing the host reads is this URC.

// Sends `command`, then `bytes` after its prompt; the answer up to OK.
std::string with_data(host_port& port, const std::string& command, const std::string& bytes,
                      const std::string& prompt = ">") {
  port.send(command + "\r");
  REQUIRE(port.expect("\r\n" + prompt) == "\r\n" + prompt);
  port.send(bytes);
  return port.read_final();
}

// A CA and a server certificate for localhost / 127.0.0.1 (ads-sim's own generator), in a folder of their own.
struct test_ca {
  temp_dir dir;
  ads_sim::tls_files files;
  test_ca() { REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files)); }
  std::string ca_pem() const { return common::read_file(files.ca_cert).value(); }
};

// A TLS server on 127.0.0.1 that echoes what each client sends, one client at a time, on its own thread.
class tls_echo_server {
 public:
  explicit tls_echo_server(const test_ca& ca, const char* address = "127.0.0.1")
      : context_(ssl::context::tls_server), acceptor_(io_), address_(asio::ip::make_address(address)) {
    context_.use_certificate_chain_file(ca.files.server_cert.string());
    context_.use_private_key_file(ca.files.server_key.string(), ssl::context::pem);
    acceptor_.open(tcp::v4());
    acceptor_.bind({address_, 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~tls_echo_server() {
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket wake(io_);
    wake.connect({address_, port_}, ignored);  // ends the blocking accept
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  int handshakes_failed() const { return failed_; }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ssl::stream<tcp::socket&> stream(socket, context_);
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) {
        ++failed_;
        continue;
      }
      std::array<char, 4096> buffer{};
      for (;;) {
        const std::size_t n = stream.read_some(asio::buffer(buffer), ec);
        if (ec) break;
        asio::write(stream, asio::buffer(buffer.data(), n), ec);
        if (ec) break;
      }
    }
  }

  asio::io_context io_;
  ssl::context context_;
  tcp::acceptor acceptor_;
  asio::ip::address address_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_ = false;
  std::atomic<int> failed_ = 0;
  std::thread thread_;
};

// ATE0, context 1 defined, the SSL service started.
void start_ssl_service(host_port& port) {
  REQUIRE(port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(port.command("AT+CCHSTART") == "\r\nOK\r\n");
  expect_urc(port, "+CCHSTART: 0");
}

}  // namespace

TEST_CASE("files written with AT+CFTRANRX survive a restart and read back with AT+CFTRANTX", "[e2e][ssl]") {
  booted_module m;
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  CHECK(m.port.command("AT+FSMKDIR=config") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+FSCD=config") == "\r\n+FSCD: C:/config/\r\n\r\nOK\r\n");
  const std::string body = "{\"url\":\"https://localhost\"}\r\n\x1A\x1B";
  CHECK(with_data(m.port, "AT+CFTRANRX=\"app.json\"," + std::to_string(body.size()), body) == "\r\nOK\r\n");
  m.port.close();
  CHECK(m.module.terminate() == 0);

  m.module.start();
  m.port = host_port::open_tty(m.module.link());
  CHECK(m.port.read_until("PB DONE\r\n") == boot_urcs);
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  CHECK(m.port.command("AT+FSCD?") == "\r\n+FSCD: C:/\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+FSLS") == "\r\n+FSLS: SUBDIRECTORIES:\r\nconfig\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+CFTRANTX=\"C:/config/app.json\"") ==
        "\r\n+CFTRANTX: DATA," + std::to_string(body.size()) + "\r\n" + body + "\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+FSDEL=\"C:/config/app.json\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+FSRMDIR=config") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+FSLS") == "\r\nOK\r\n");
}

TEST_CASE("a TLS session through CCHOPEN, CCHSEND and +CCHRECV, verified against the downloaded CA", "[e2e][ssl]") {
  test_ca ca;
  test_ca other;
  tls_echo_server server(ca);
  booted_module m;
  start_ssl_service(m.port);
  CHECK(with_data(m.port, "AT+CCERTDOWN=\"ca.pem\"," + std::to_string(ca.ca_pem().size()), ca.ca_pem()) ==
        "\r\nOK\r\n");
  CHECK(with_data(m.port, "AT+CCERTDOWN=\"other.pem\"," + std::to_string(other.ca_pem().size()), other.ca_pem()) ==
        "\r\nOK\r\n");
  CHECK(m.port.command("AT+CCERTLIST") == "\r\n+CCERTLIST: \"ca.pem\"\r\n+CCERTLIST: \"other.pem\"\r\n\r\nOK\r\n");
  for (const char* setting : {"\"authmode\",0,1", "\"cacert\",0,\"ca.pem\"", "\"enableSNI\",0,1",
                              "\"authmode\",1,1", "\"cacert\",1,\"other.pem\""}) {
    REQUIRE(m.port.command(std::string("AT+CSSLCFG=") + setting) == "\r\nOK\r\n");
  }
  const std::string port = std::to_string(server.port());

  SECTION("the right CA: the session opens and echoes") {
    CHECK(m.port.command("AT+CCHOPEN=0,\"localhost\"," + port + ",2") == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHOPEN: 0,0");
    CHECK(with_data(m.port, "AT+CCHSEND=0,5", "hello") == "\r\nOK\r\n");
    CHECK(m.port.read_until("hello") == "\r\n+CCHRECV: DATA,0,5\r\nhello");
    CHECK(m.port.command("AT+CCHCLOSE=0") == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHCLOSE: 0,0");
  }
  SECTION("a wrong CA: the handshake is refused with the manual's error 15") {
    REQUIRE(m.port.command("AT+CCHSSLCFG=1,1") == "\r\nOK\r\n");
    CHECK(m.port.command("AT+CCHOPEN=1,\"localhost\"," + port + ",2") == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHOPEN: 1,15");
    CHECK(m.port.command("AT+CCHSEND=1,5") == "\r\nERROR\r\n");
  }
  SECTION("the right CA but another name than the certificate's (127.0.0.2): refused") {
    tls_echo_server elsewhere(ca, "127.0.0.2");
    CHECK(m.port.command("AT+CCHOPEN=0,\"127.0.0.2\"," + std::to_string(elsewhere.port()) + ",2") == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHOPEN: 0,15");
  }
  SECTION("cached receive mode: +CCHEVENT, then AT+CCHRECV reads") {
    REQUIRE(m.port.command("AT+CCHSET=1,1") == "\r\nOK\r\n");
    CHECK(m.port.command("AT+CCHOPEN=0,\"127.0.0.1\"," + port) == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHOPEN: 0,0");
    CHECK(with_data(m.port, "AT+CCHSEND=0,4", "ping") == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHSEND: 0,0");
    expect_urc(m.port, "+CCHEVENT: 0,RECV EVENT");
    std::string echoed;
    while (echoed.size() < 4) {
      m.port.send("AT+CCHRECV=0\r");
      const std::string answer = m.port.read_until("+CCHRECV: 0,0\r\n");
      REQUIRE(answer.starts_with("\r\nOK\r\n\r\n+CCHRECV: DATA,0,"));
      const auto data = answer.find("\r\n", 8) + 2;
      const auto end = answer.find("\r\n+CCHRECV: 0,0\r\n");
      echoed += answer.substr(data, end - data);
      if (echoed.size() < 4) expect_urc(m.port, "+CCHEVENT: 0,RECV EVENT");
    }
    CHECK(echoed == "ping");
    CHECK(m.port.command("AT+CCHSTOP") == "\r\nOK\r\n");
    expect_urc(m.port, "+CCHSTOP: 0");
  }
}

TEST_CASE("CCH: a refused connection and an unknown host report the manual's errors", "[e2e][ssl]") {
  booted_module m;
  start_ssl_service(m.port);
  const std::uint16_t closed_port = [] {
    asio::io_context io;
    tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();  // bound once, now free: nothing listens there
  }();
  CHECK(m.port.command("AT+CCHOPEN=0,\"127.0.0.1\"," + std::to_string(closed_port) + ",1") == "\r\nOK\r\n");
  expect_urc(m.port, "+CCHOPEN: 0,14");
  CHECK(m.port.command("AT+CCHOPEN=0,\"no-such-host.invalid\",443,2") == "\r\nOK\r\n");
  expect_urc(m.port, "+CCHOPEN: 0,13");
}

namespace {

// Python's http.server on 127.0.0.1 (HTTPS when given a certificate and key): GET /config answers a JSON file,
// POST /echo answers the body it got with the Content-Type it got. Prints "port <n>" once listening.
constexpr const char* http_server_script = R"(
import http.server, ssl, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, body, kind):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path != "/config":
            self.send_error(404)
            return
        self.reply(b'{"interval":60,"server":"https://localhost"}', "application/json")
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.reply(body + b"|" + self.headers.get("X-Device", "").encode(), self.headers["Content-Type"])
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 3:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print("port", server.server_address[1], flush=True)
server.serve_forever()
)";

struct http_server {
  running_program program;
  std::string port;
  explicit http_server(std::vector<std::string> tls = {})
      : program("python3", [&] {
          std::vector<std::string> args = {"-c", http_server_script, "serve"};
          args.insert(args.end(), tls.begin(), tls.end());
          return args;
        }()) {
    const auto line = program.line_starting("port ");
    REQUIRE(line);
    port = line->substr(5);
  }
};

// AT+HTTPACTION's URC, then the whole body through AT+HTTPREAD.
std::string read_body(host_port& port, std::size_t length) {
  port.send("AT+HTTPREAD=0," + std::to_string(length) + "\r");
  const std::string answer = port.read_until("+HTTPREAD: 0\r\n");
  const std::string start = "\r\nOK\r\n\r\n+HTTPREAD: DATA," + std::to_string(length) + "\r\n";
  REQUIRE(answer.starts_with(start));
  return answer.substr(start.size(), length);
}

void start_http(host_port& port) {
  REQUIRE(port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(port.command("AT+CGDCONT=1,\"IP\",\"internet\"") == "\r\nOK\r\n");
  REQUIRE(port.command("AT+HTTPINIT") == "\r\nOK\r\n");
}

}  // namespace

TEST_CASE("HTTP GET and POST with a body against a loopback server", "[e2e][http]") {
  http_server server;
  booted_module m;
  start_http(m.port);
  CHECK(m.port.command("AT+HTTPPARA=\"URL\",\"http://127.0.0.1:" + server.port + "/config\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=0") == "\r\nOK\r\n");
  const std::string config = "{\"interval\":60,\"server\":\"https://localhost\"}";
  expect_urc(m.port, "+HTTPACTION: 0,200," + std::to_string(config.size()));
  CHECK(m.port.command("AT+HTTPREAD?") == "\r\n+HTTPREAD: LEN," + std::to_string(config.size()) + "\r\n\r\nOK\r\n");
  CHECK(read_body(m.port, config.size()) == config);
  const std::string head = m.port.command("AT+HTTPHEAD");
  CHECK(head.find("\r\nHTTP/1.0 200 OK\r\n") != std::string::npos);
  CHECK(head.find("Content-Type: application/json\r\n") != std::string::npos);

  CHECK(m.port.command("AT+HTTPPARA=\"URL\",\"http://localhost:" + server.port + "/missing\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=0") == "\r\nOK\r\n");
  CHECK(m.port.read_until("+HTTPACTION: 0,404,") == "\r\n+HTTPACTION: 0,404,");
  m.port.read_until("\r\n");  // the error page's length

  const std::string body = "temp=21.5&door=closed";
  CHECK(with_data(m.port, "AT+HTTPDATA=" + std::to_string(body.size()) + ",10", body, "DOWNLOAD") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPPARA=\"CONTENT\",\"application/x-www-form-urlencoded\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPPARA=\"USERDATA\",\"X-Device: AC000W1\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPPARA=\"URL\",\"http://127.0.0.1:" + server.port + "/echo\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=1") == "\r\nOK\r\n");
  const std::string echoed = body + "|AC000W1";
  expect_urc(m.port, "+HTTPACTION: 1,200," + std::to_string(echoed.size()));
  CHECK(read_body(m.port, echoed.size()) == echoed);
  CHECK(m.port.command("AT+HTTPTERM") == "\r\nOK\r\n");
}

TEST_CASE("HTTP: a server that takes the request and never answers ends the action with 705 after RECVTO",
          "[e2e][http]") {
  tcp_listener silent;
  booted_module m;
  start_http(m.port);
  CHECK(m.port.command("AT+HTTPPARA=\"URL\",\"http://127.0.0.1:" + std::to_string(silent.port()) + "/never\"") ==
        "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPPARA=\"RECVTO\",2") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=0") == "\r\nOK\r\n");
  tcp_peer server_side = silent.accept();
  CHECK(server_side.read_exactly(11) == "GET /never ");  // the request went out; no answer comes back
  expect_urc(m.port, "+HTTPACTION: 0,705,0");
  CHECK(m.port.command("AT+HTTPREAD?") == "\r\nERROR\r\n");
  CHECK(m.port.command("AT+HTTPTERM") == "\r\nOK\r\n");
}

TEST_CASE("HTTPS GET verified with the right CA, refused (715) with a wrong one", "[e2e][http]") {
  test_ca ca;
  test_ca other;
  http_server server({ca.files.server_cert.string(), ca.files.server_key.string()});
  booted_module m;
  start_http(m.port);
  CHECK(with_data(m.port, "AT+CCERTDOWN=\"ca.pem\"," + std::to_string(ca.ca_pem().size()), ca.ca_pem()) ==
        "\r\nOK\r\n");
  CHECK(with_data(m.port, "AT+CCERTDOWN=\"other.pem\"," + std::to_string(other.ca_pem().size()), other.ca_pem()) ==
        "\r\nOK\r\n");
  for (const char* setting : {"\"authmode\",0,1", "\"cacert\",0,\"ca.pem\"", "\"enableSNI\",0,1",
                              "\"authmode\",1,1", "\"cacert\",1,\"other.pem\""}) {
    REQUIRE(m.port.command(std::string("AT+CSSLCFG=") + setting) == "\r\nOK\r\n");
  }
  CHECK(m.port.command("AT+HTTPPARA=\"URL\",\"https://localhost:" + server.port + "/config\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=0") == "\r\nOK\r\n");
  const std::string config = "{\"interval\":60,\"server\":\"https://localhost\"}";
  expect_urc(m.port, "+HTTPACTION: 0,200," + std::to_string(config.size()));
  CHECK(read_body(m.port, config.size()) == config);

  CHECK(m.port.command("AT+HTTPPARA=\"SSLCFG\",1") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=0") == "\r\nOK\r\n");
  expect_urc(m.port, "+HTTPACTION: 0,715,0");
  CHECK(m.port.command("AT+HTTPPARA=\"URL\",\"https://no-such-host.invalid/\"") == "\r\nOK\r\n");
  CHECK(m.port.command("AT+HTTPACTION=0") == "\r\nOK\r\n");
  expect_urc(m.port, "+HTTPACTION: 0,713,0");
}
