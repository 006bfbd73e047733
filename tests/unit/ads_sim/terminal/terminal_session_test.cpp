// The console's terminal over the real HTTPS server: a Beast WebSocket client (TLS, the generated CA) upgrades with
// a console session, types into a module port that records its input the way the emulator's transcript does,
// and reads what the module writes; a second viewer only reads; the upgrade is refused to another OEM and
// without the CSRF token.
#include <utility>  // before Asio: Debian's Boost 1.74 needs std::exchange declared

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fstream>
#include <mutex>
#include <thread>

#include "ads_sim/terminal/module_terminal.hpp"
#include "tests/unit/ads_sim/running_service.hpp"

using namespace ads_sim_test;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;

namespace {

constexpr auto step_deadline = std::chrono::seconds(10);
const std::string maker_password = "maker-password-1";

// One TLS connection to the service that checks its certificate; every step has a deadline.
class tls_connection {
 public:
  explicit tls_connection(const running_service& server) : context_(ssl::context::tls_client) {
    context_.load_verify_file(server.service->ca_path().string());
    context_.set_verify_mode(ssl::verify_peer);
    stream_.emplace(io_, context_);
    SSL_set_tlsext_host_name(stream_->native_handle(), "localhost");
    stream_->set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(*stream_).expires_after(step_deadline);
    beast::get_lowest_layer(*stream_).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.service->port()));
    beast::error_code ec;
    stream_->async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    run();
    REQUIRE_FALSE(ec);
    host_ = "localhost:" + std::to_string(server.service->port());
  }

  // A console API call: method, path below /api/v1/console, session cookie and CSRF header.
  http::response<http::string_body> call(http::verb method, const std::string& path, const json& body,
                                         const std::string& cookie = "", const std::string& csrf = "") {
    http::request<http::string_body> request{method, "/api/v1/console" + path, 11};
    request.set(http::field::host, host_);
    if (!cookie.empty()) request.set(http::field::cookie, cookie);
    if (!csrf.empty()) request.set("X-CSRF-Token", csrf);
    if (!body.is_null()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body.dump();
    }
    request.prepare_payload();
    beast::error_code ec = asio::error::timed_out;
    beast::get_lowest_layer(*stream_).expires_after(step_deadline);
    http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    REQUIRE_FALSE(ec);
    http::response<http::string_body> response;
    ec = asio::error::timed_out;
    http::async_read(*stream_, buffer_, response, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    REQUIRE_FALSE(ec);
    return response;
  }

  const std::string& host() const { return host_; }
  asio::io_context& io() { return io_; }
  beast::ssl_stream<beast::tcp_stream>& release() { return *stream_; }

  void run() {
    io_.restart();
    io_.run_for(step_deadline + std::chrono::seconds(1));
  }

 private:
  asio::io_context io_;
  ssl::context context_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  std::string host_;
};

struct console_login {
  std::string cookie;
  std::string csrf;
};

console_login login(tls_connection& connection, const std::string& email, const std::string& password) {
  const auto response =
      connection.call(http::verb::post, "/login", json{{"email", email}, {"password", password}});
  REQUIRE(response.result_int() == 200);
  const std::string set_cookie(response[http::field::set_cookie]);
  return {set_cookie.substr(0, set_cookie.find(';')), json::parse(response.body())["csrf_token"]};
}

// A viewer: the upgrade's answer, then messages as {binary?, text}.
class terminal_client {
 public:
  terminal_client(const running_service& server, const console_login& who, const std::string& dsn,
                  std::optional<std::string> csrf)
      : connection_(server), ws_(std::move(connection_.release())) {
    std::string target = "/api/v1/console/devices/" + dsn + "/terminal";
    if (csrf) target += "?csrf=" + *csrf;
    ws_.set_option(websocket::stream_base::decorator(
        [cookie = who.cookie, origin = "https://" + connection_.host()](websocket::request_type& request) {
          request.set(http::field::cookie, cookie);
          request.set(http::field::origin, origin);
        }));
    beast::error_code ec = asio::error::timed_out;
    ws_.async_handshake(upgrade_answer_, connection_.host(), target, [&](beast::error_code e) { ec = e; });
    connection_.run();
    opened_ = !ec;
  }

  bool opened() const { return opened_; }
  const std::string& close_reason() const { return close_reason_; }
  unsigned status() const { return upgrade_answer_.result_int(); }

  void type(const std::string& bytes) {
    ws_.binary(true);
    beast::error_code ec = asio::error::timed_out;
    ws_.async_write(asio::buffer(bytes), [&](beast::error_code e, std::size_t) { ec = e; });
    connection_.run();
    REQUIRE_FALSE(ec);
  }

  // Reads messages until one contains `text` (true), or the deadline passes or the connection ends (false).
  bool read_until(const std::string& text, bool binary) {
    const auto end = std::chrono::steady_clock::now() + step_deadline;
    while (std::chrono::steady_clock::now() < end) {
      beast::error_code ec = asio::error::timed_out;
      buffer_.clear();
      ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) { ec = e; });
      connection_.run();
      if (ec) {
        if (ec == websocket::error::closed) close_reason_ = std::string(ws_.reason().reason.c_str());
        return false;
      }
      const std::string message = beast::buffers_to_string(buffer_.data());
      (ws_.got_binary() ? output_ : notices_) += message;
      if ((binary ? output_ : notices_).find(text) != std::string::npos) return true;
    }
    return false;
  }

  void close() {
    beast::error_code ec = asio::error::timed_out;
    ws_.async_close(websocket::close_code::normal, [&](beast::error_code e) { ec = e; });
    connection_.run();
  }

 private:
  tls_connection connection_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  websocket::response_type upgrade_answer_;
  beast::flat_buffer buffer_;
  std::string output_;
  std::string notices_;
  std::string close_reason_;  // the service's reason, once it closed the terminal
  bool opened_ = false;
};

// A module on a thread of its own that echoes what it is typed (ATE1) and keeps it, as the transcript would.
class echoing_module {
 public:
  echoing_module()
      : port(std::make_shared<ads_sim::terminal::module_terminal>(
            [this](std::function<void()> task) { asio::post(io_, std::move(task)); },
            [this](std::string_view bytes) {
              {
                std::lock_guard lock(mutex_);
                typed_ += bytes;
              }
              port->output(bytes);
              if (bytes.ends_with("\r")) port->output("\r\nOK\r\n");
            })),
        thread_([this] { io_.run(); }) {}
  ~echoing_module() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  std::string typed() {
    std::lock_guard lock(mutex_);
    return typed_;
  }

  std::shared_ptr<ads_sim::terminal::module_terminal> port;

 private:
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  std::mutex mutex_;
  std::string typed_;
  std::thread thread_;
};

struct terminal_service {
  temp_dir scratch;
  std::filesystem::path password_file = [this] {
    const auto file = scratch.path() / "console-password";
    std::ofstream(file) << maker_password << "\n";
    return file;
  }();
  running_service server{running_service::console_password{password_file}};
  echoing_module module;
  tls_connection api{server};
  console_login maker = login(api, "maker@ads-sim.local", maker_password);
  std::string dsn;
  console_login oem_a, oem_b;

  terminal_service() {
    for (const auto& [email, oem] : {std::pair{"a@example.com", "aaaa0001"}, {"b@example.com", "bbbb0002"}}) {
      const auto created = api.call(http::verb::post, "/oems",
                                    json{{"email", email}, {"name", oem}, {"password", "oem-password-1"},
                                         {"oem_id", oem}},
                                    maker.cookie, maker.csrf);
      REQUIRE(created.result_int() == 201);
    }
    dsn = server.service->create_factory_devices("aaaa0001", "myoemmodel", 1)->front().dsn;
    server.service->terminals()->add(dsn, module.port);
    oem_a = login(api, "a@example.com", "oem-password-1");
    oem_b = login(api, "b@example.com", "oem-password-1");
  }
};

}  // namespace

TEST_CASE("the device's OEM types into the module and reads its answer, and a second viewer reads only",
          "[ads_sim][terminal][network]") {
  terminal_service s;
  terminal_client writer(s.server, s.oem_a, s.dsn, s.oem_a.csrf);
  REQUIRE(writer.opened());
  CHECK(writer.status() == 101);
  CHECK(writer.read_until(R"({"role":"writer"})", false));
  terminal_client reader(s.server, s.maker, s.dsn, s.maker.csrf);  // the module maker may watch any device
  REQUIRE(reader.opened());
  CHECK(reader.read_until(R"({"role":"reader"})", false));

  writer.type("AT+ADA=\"status\"\r");
  CHECK(writer.read_until("AT+ADA=\"status\"\r\r\nOK\r\n", true));
  CHECK(reader.read_until("AT+ADA=\"status\"\r\r\nOK\r\n", true));
  CHECK(s.module.typed() == "AT+ADA=\"status\"\r");

  reader.type("ATZ\r");
  CHECK(reader.read_until("read-only", false));
  CHECK(s.module.typed() == "AT+ADA=\"status\"\r");  // the reader's bytes never reached the module

  // The writer leaves: the reader takes the keyboard.
  writer.close();
  CHECK(reader.read_until(R"({"role":"writer"})", false));
  reader.type("AT\r");
  CHECK(reader.read_until("AT\r\r\nOK\r\n", true));
  CHECK(s.module.typed() == "AT+ADA=\"status\"\rAT\r");
}

TEST_CASE("the upgrade is refused to another OEM, without the CSRF token, and with no module in-process",
          "[ads_sim][terminal][network][security]") {
  terminal_service s;
  terminal_client other_oem(s.server, s.oem_b, s.dsn, s.oem_b.csrf);
  CHECK_FALSE(other_oem.opened());
  CHECK(other_oem.status() == 403);
  terminal_client no_token(s.server, s.oem_a, s.dsn, std::nullopt);
  CHECK_FALSE(no_token.opened());
  CHECK(no_token.status() == 403);
  s.server.service->terminals()->remove(s.dsn);
  terminal_client no_module(s.server, s.oem_a, s.dsn, s.oem_a.csrf);
  CHECK_FALSE(no_module.opened());
  CHECK(no_module.status() == 503);
  CHECK(s.module.typed().empty());
}

TEST_CASE("a viewer is told when the module stops", "[ads_sim][terminal][network]") {
  terminal_service s;
  terminal_client viewer(s.server, s.oem_a, s.dsn, s.oem_a.csrf);
  REQUIRE(viewer.opened());
  CHECK(viewer.read_until(R"({"role":"writer"})", false));
  s.module.port->close();
  CHECK_FALSE(viewer.read_until("never", true));
  CHECK(viewer.close_reason() == "the module stopped");
}
