// The real HTTPS server on an ephemeral port, driven by a Beast client that verifies the generated CA.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>
#include <mutex>
#include <random>
#include <sys/resource.h>
#include <sstream>
#include <thread>

#include "running_service.hpp"
#include "support.hpp"
#include "ads_sim/server.hpp"

using namespace ads_sim_test;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

constexpr auto deadline = std::chrono::seconds(10);

// A TLS client that trusts only ads-sim's CA and checks the server's name, with a deadline on every step.
class https_client {
 public:
  https_client(const running_service& server, const std::string& host_name = "localhost")
      : stream_(io_, make_context(server.service->ca_path())) {
    SSL_set_tlsext_host_name(stream_.native_handle(), host_name.c_str());
    stream_.set_verify_callback(ssl::host_name_verification(host_name));
    beast::get_lowest_layer(stream_).expires_after(deadline);
    beast::get_lowest_layer(stream_).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.service->port()));
    beast::error_code ec;
    stream_.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    run();
    handshake_error_ = ec;
  }

  beast::error_code handshake_error() const { return handshake_error_; }

  void send(http::verb method, const std::string& target, const json& body = nullptr,
            std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "localhost");
    for (auto& [name, value] : headers) request.set(name, value);
    if (!body.is_null()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body.dump();
    }
    request.prepare_payload();
    send_raw(request);
  }

  void send_raw(http::request<http::string_body>& request) {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).expires_after(deadline);
    http::async_write(stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    REQUIRE_FALSE(ec);
  }

  void send_bytes(const std::string& bytes) {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).expires_after(deadline);
    asio::async_write(stream_, asio::buffer(bytes), [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    REQUIRE_FALSE(ec);
  }

  void send_header(http::request<http::string_body>& request) {
    beast::error_code ec;
    http::request_serializer<http::string_body> serializer(request);
    beast::get_lowest_layer(stream_).expires_after(deadline);
    http::async_write_header(stream_, serializer, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    REQUIRE_FALSE(ec);
  }

  // Waits for the server to close the connection: the read's error, beast::error::timeout if it did not.
  beast::error_code wait_closed() {
    beast::error_code ec = asio::error::timed_out;
    beast::get_lowest_layer(stream_).expires_after(deadline);
    stream_.async_read_some(buffer_.prepare(4096), [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    return ec;
  }

  // The next response, or nullopt if none came before the deadline (or the connection broke).
  std::optional<http::response<http::string_body>> receive() {
    http::response<http::string_body> response;
    beast::error_code ec = asio::error::timed_out;
    beast::get_lowest_layer(stream_).expires_after(deadline);
    http::async_read(stream_, buffer_, response, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) return std::nullopt;
    return response;
  }

  http::response<http::string_body> call(http::verb method, const std::string& target, const json& body = nullptr,
                                         std::vector<std::pair<std::string, std::string>> headers = {}) {
    send(method, target, body, std::move(headers));
    auto response = receive();
    REQUIRE(response.has_value());
    return std::move(*response);
  }

 private:
  static ssl::context& make_context(const std::filesystem::path& ca) {
    static thread_local std::unique_ptr<ssl::context> context;
    context = std::make_unique<ssl::context>(ssl::context::tls_client);
    context->load_verify_file(ca.string());
    context->set_verify_mode(ssl::verify_peer);
    return *context;
  }

  void run() {
    io_.restart();
    io_.run_for(deadline + std::chrono::seconds(1));
  }

  asio::io_context io_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  beast::error_code handshake_error_;
};

std::vector<std::pair<std::string, std::string>> admin_headers() {
  return {{"Authorization", "Bearer " + admin_token}};
}

json parse(const http::response<http::string_body>& response) {
  const json body = json::parse(response.body(), nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  return body;
}

struct device_session {
  std::string dsn;
  std::string public_key;
  std::int64_t key = 0;
  std::string token;
};

// Authenticates as the demo device over `client` (client auth on GET /dsns/<dsn>.json).
device_session authenticate(https_client& client, const ads_sim::demo_identity& identity) {
  device_session session{identity.dsn, identity.public_key, 0, {}};
  const std::string path = "/dsns/" + identity.dsn + ".json";
  const auto now = ads_sim::unix_seconds(std::chrono::system_clock::now());
  const auto response =
      client.call(http::verb::get, path, nullptr, {{"x-Ayla-client-auth", client_auth(identity.public_key, now, "GET", path)}});
  REQUIRE(response.result_int() == 200);
  REQUIRE(response.count("x-Ayla-auth-key") == 1);
  session.token = std::string(response["x-Ayla-auth-key"]);
  session.key = parse(response)["device"]["key"];
  return session;
}

// ads-sim with the demo OEM and its device, as the daemon embeds it.
struct demo_server {
  temp_dir dir;
  running_service server{dir.path()};
  ads_sim::demo_identity identity;

  demo_server() {
    const auto created = server.service->ensure_demo_identity();
    REQUIRE(created);
    identity = *created;
  }
};

}  // namespace

TEST_CASE("the server answers over TLS verified against its own CA, with every name it claims", "[ads_sim][server]") {
  temp_dir dir;
  running_service server(dir.path());
  CHECK(server.service->port() != 0);
  CHECK(server.service->ready_line() == "ads-sim ready: https://127.0.0.1:" + std::to_string(server.service->port()) +
                                            " ca " + (dir.path() / "ca.pem").string());
  for (const std::string name : {"localhost", "127.0.0.1", "ledevb-71866f33-device.aylanetworks.com",
                                 "ads-dev.ayla.com.cn"}) {
    https_client client(server, name);
    INFO(name);
    REQUIRE_FALSE(client.handshake_error());
    CHECK(client.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);
  }
  https_client stranger(server, "example.com");
  CHECK(stranger.handshake_error());
}

TEST_CASE("commands.json over HTTPS answers at once and brings what the admin set since", "[ads_sim][server]") {
  demo_server demo;
  auto& server = demo.server;
  const auto& identity = demo.identity;
  https_client device(server);
  https_client admin(server);
  const auto session = authenticate(device, identity);
  const std::vector<std::pair<std::string, std::string>> auth = {{"x-Ayla-auth-key", "Ayla1.0 " + session.token}};
  const std::string commands = "/devices/" + std::to_string(session.key) + "/commands.json";

  // Nothing queued, and an old client's ?poll=60 asks to wait: the answer comes at once all the same (a held
  // request would not come back within the test's deadline, which is shorter than 60 s).
  const auto started = std::chrono::steady_clock::now();
  const auto empty = device.call(http::verb::get, commands + "?poll=60", nullptr, auth);
  CHECK(std::chrono::steady_clock::now() - started < deadline);
  CHECK(empty.result_int() == 200);
  CHECK(parse(empty)["commands"]["properties"].empty());
  CHECK(parse(empty)["commands"]["cmds"].empty());

  const auto set = admin.call(http::verb::put, "/api/v1/devices/" + identity.dsn + "/properties/Blue_LED",
                              json{{"value", 1}, {"base_type", "boolean"}}, admin_headers());
  REQUIRE(set.result_int() == 200);
  const auto got = device.call(http::verb::get, commands, nullptr, auth);
  CHECK(got.result_int() == 200);
  const auto body = parse(got);
  REQUIRE(body["commands"]["properties"].size() == 1);
  CHECK(body["commands"]["properties"][0]["property"]["name"] == "Blue_LED");
  CHECK(body["commands"]["properties"][0]["property"]["value"] == 1);
  CHECK(got.count("x-Ayla-server-time") == 1);
  CHECK(parse(admin.call(http::verb::get, "/api/v1/devices/" + identity.dsn, nullptr, admin_headers()))["connected"] ==
        true);

  // The C++ call queues just the same.
  REQUIRE(server.service->set_property(identity.dsn, "Blue_LED", json(0)));
  CHECK(parse(device.call(http::verb::get, commands, nullptr, auth))["commands"]["properties"][0]["property"]["value"] ==
        0);

  // Every request was logged on one line, and no secret reached the log.
  const std::string log = server.all_log();
  CHECK(log.find("GET /dsns/" + identity.dsn + ".json 200") != std::string::npos);
  CHECK(log.find("PUT /api/v1/devices/" + identity.dsn + "/properties/Blue_LED 200") != std::string::npos);
  CHECK(log.find(session.token) == std::string::npos);
  CHECK(log.find(admin_token) == std::string::npos);
  CHECK(log.find(identity.oem_secret) == std::string::npos);
}

TEST_CASE("pipelined requests on one connection are answered in order", "[ads_sim][server]") {
  demo_server demo;
  auto& server = demo.server;
  const auto& identity = demo.identity;
  https_client device(server);
  const auto session = authenticate(device, identity);
  const std::vector<std::pair<std::string, std::string>> auth = {{"x-Ayla-auth-key", "Ayla1.0 " + session.token}};
  const std::string base = "/devices/" + std::to_string(session.key);

  device.send(http::verb::get, base + "/commands.json?poll=25", nullptr, auth);
  device.send(http::verb::post, base + "/properties/temp/datapoints.json",
              json{{"datapoint", {{"base_type", "decimal"}, {"value", 21.5}}}}, auth);
  const auto poll = device.receive();
  REQUIRE(poll.has_value());
  CHECK(poll->result_int() == 200);
  CHECK(parse(*poll)["commands"]["properties"].empty());
  const auto posted = device.receive();
  REQUIRE(posted.has_value());
  CHECK(posted->result_int() == 201);
  CHECK(parse(*posted)["datapoint"]["value"] == 21.5);
}

TEST_CASE("oversized and malformed HTTP is refused with a 4xx, and the server stays up", "[ads_sim][server]") {
  temp_dir dir;
  running_service server(dir.path());
  {
    https_client client(server);
    // Announces 2 MiB; the service refuses on the header, before the body would arrive.
    http::request<http::string_body> huge{http::verb::post, "/api/v1/oems", 11};
    huge.set(http::field::content_type, "application/json");
    huge.set(http::field::content_length, std::to_string(2 * 1024 * 1024));
    client.send_header(huge);
    const auto response = client.receive();
    REQUIRE(response.has_value());
    CHECK(response->result_int() == 413);
    CHECK(parse(*response)["error"].is_string());
  }
  {
    https_client client(server);
    http::request<http::string_body> broken{http::verb::get, "/api/v1/oems", 11};
    broken.set(http::field::content_length, "nonsense");
    client.send_raw(broken);
    const auto response = client.receive();
    REQUIRE(response.has_value());
    CHECK(response->result_int() == 400);
  }
  {
    https_client client(server);
    http::request<http::string_body> fat{http::verb::get, "/api/v1/oems", 11};
    fat.set("x-padding", std::string(20000, 'p'));
    client.send_header(fat);
    const auto response = client.receive();
    REQUIRE(response.has_value());
    CHECK(response->result_int() == 413);
  }
  {
    https_client client(server);
    std::mt19937 random(99);
    std::string noise(4096, '\0');
    for (auto& byte : noise) byte = static_cast<char>(random() & 0xff);
    client.send_bytes(noise);
    const auto response = client.receive();  // a 400, or the connection closed: never a hang or a crash
    if (response) CHECK(response->result_int() == 400);
  }
  https_client client(server);
  CHECK(client.call(http::verb::get, "/no/such/path").result_int() == 404);
  CHECK(client.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);
}

TEST_CASE("a restart keeps OEMs, devices, properties, tokens, the CA and the admin token", "[ads_sim][server]") {
  temp_dir dir;
  ads_sim::demo_identity identity;
  device_session session;
  std::string ca_before;
  std::string generated_token;
  {
    running_service server(dir.path(), std::nullopt);  // admin token generated into the data dir
    generated_token = server.service->admin_token();
    CHECK(generated_token.size() == 32);
    CHECK((std::filesystem::status(dir.path() / "admin-token").permissions() & std::filesystem::perms::group_all) ==
          std::filesystem::perms::none);
    CHECK((std::filesystem::status(dir.path() / "ca-key.pem").permissions() & std::filesystem::perms::others_all) ==
          std::filesystem::perms::none);
    const auto created = server.service->ensure_demo_identity();
    REQUIRE(created);
    identity = *created;
    https_client device(server);
    session = authenticate(device, identity);
    REQUIRE(server.service->set_property(identity.dsn, "Blue_LED", json(1), "boolean"));
    std::ifstream ca(dir.path() / "ca.pem");
    ca_before.assign(std::istreambuf_iterator<char>(ca), {});
  }
  running_service server(dir.path(), std::nullopt);
  CHECK(server.service->admin_token() == generated_token);
  std::ifstream ca(dir.path() / "ca.pem");
  CHECK(std::string(std::istreambuf_iterator<char>(ca), {}) == ca_before);

  const auto same = server.service->ensure_demo_identity();
  REQUIRE(same);
  CHECK(same->dsn == identity.dsn);
  CHECK(same->oem_secret == identity.oem_secret);
  CHECK(same->public_key == identity.public_key);

  https_client device(server);
  // The old token still works, and the queued property waited for the device.
  const auto commands = device.call(http::verb::get, "/devices/" + std::to_string(session.key) + "/commands.json",
                                    nullptr, {{"x-Ayla-auth-key", "Ayla1.0 " + session.token}});
  REQUIRE(commands.result_int() == 200);
  CHECK(parse(commands)["commands"]["properties"][0]["property"]["value"] == 1);
  https_client admin(server);
  const auto devices = parse(admin.call(http::verb::get, "/api/v1/devices", nullptr,
                                        {{"Authorization", "Bearer " + generated_token}}));
  CHECK(devices["devices"].size() == 1);
}

// A demo service with an authenticated device and an admin, to show that slow work elsewhere does not stall them.
struct busy_service_probe {
  demo_server demo;
  running_service& server = demo.server;
  https_client admin{server};
  https_client device{server};
  device_session session = authenticate(device, demo.identity);

  // 20 datapoint POSTs and 20 admin GETs, each answered.
  void device_and_admin_are_answered() {
    const std::vector<std::pair<std::string, std::string>> auth = {{"x-Ayla-auth-key", "Ayla1.0 " + session.token}};
    const std::string base = "/devices/" + std::to_string(session.key);
    for (int i = 0; i < 20; ++i) {
      const auto posted = device.call(http::verb::post, base + "/properties/temp/datapoints.json",
                                      json{{"datapoint", {{"base_type", "decimal"}, {"value", i + 0.5}}}}, auth);
      CHECK(posted.result_int() == 201);
      CHECK(admin.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);
    }
  }
};

TEST_CASE("requests are answered while an admin creates factory devices", "[ads_sim][server]") {
  busy_service_probe probe;
  auto& demo = probe.demo;
  auto& server = probe.server;
  auto& admin = probe.admin;
  const auto devices_now = [&] {
    return parse(admin.call(http::verb::get, "/api/v1/devices", nullptr, admin_headers()))["devices"].size();
  };

  // Over HTTP, key generation and all: a small batch.
  const auto small = admin.call(http::verb::post, "/api/v1/oems/" + demo.identity.oem_id + "/devices",
                                json{{"model", "batch"}, {"count", 2}}, admin_headers());
  REQUIRE(small.result_int() == 201);
  CHECK(parse(small)["devices"].size() == 2);
  REQUIRE(devices_now() == 3);

  // A big batch (a hundred keys) on a connection of its own; its answer is not awaited.
  https_client creator(server);
  creator.send(http::verb::post, "/api/v1/oems/" + demo.identity.oem_id + "/devices",
               json{{"model", "batch"}, {"count", 100}}, admin_headers());
  REQUIRE(server.wait_for_requests("/devices making 100 keys", 1));
  probe.device_and_admin_are_answered();
  // Those answers came while the batch was still being made: none of its devices exists yet.
  CHECK(devices_now() == 3);
}  // stopping the service abandons the batch between two keys

TEST_CASE("requests are answered while console logins hash their passwords", "[ads_sim][server][console]") {
  busy_service_probe probe;
  auto& server = probe.server;

  // Eight logins at once, each a PBKDF2 of 600,000 rounds (about 0.3 s) on the slow-work worker.
  constexpr int logins = 8;
  std::vector<std::unique_ptr<https_client>> login_clients;
  for (int i = 0; i < logins; ++i) {
    login_clients.push_back(std::make_unique<https_client>(server));
    login_clients.back()->send(http::verb::post, "/api/v1/console/login",
                               json{{"email", "user" + std::to_string(i) + "@example.com"}, {"password", "guess-123"}});
  }
  REQUIRE(server.wait_for_requests("/api/v1/console/login hashing a password", 1));
  probe.device_and_admin_are_answered();
  // Those answers did not wait for the hashing: the logins are not all answered yet.
  const std::string log = server.all_log();
  std::size_t answered = 0;
  for (auto at = log.find("/api/v1/console/login 401"); at != std::string::npos;
       at = log.find("/api/v1/console/login 401", at + 1))
    ++answered;
  CHECK(answered < static_cast<std::size_t>(logins));
  for (auto& client : login_clients) {
    const auto refused = client->receive();
    REQUIRE(refused.has_value());
    CHECK(refused->result_int() == 401);  // unknown accounts, hashed all the same
  }
}

TEST_CASE("a body of 100 MB is refused with 413 on its header, whether its length is declared or chunked",
          "[ads_sim][server][limits]") {
  temp_dir dir;
  running_service server(dir.path());
  const std::string hundred_mb = std::to_string(100 * 1024 * 1024);
  for (const std::string target : {"/api/v1/images", "/api/v1/oems", "/devices/1/properties/p/datapoints.json"}) {
    INFO(target);
    https_client client(server);
    http::request<http::string_body> huge{http::verb::post, target, 11};
    huge.set(http::field::authorization, "Bearer " + admin_token);
    huge.set(http::field::content_type, "application/json");
    huge.set(http::field::content_length, hundred_mb);
    client.send_header(huge);
    const auto response = client.receive();
    REQUIRE(response.has_value());
    CHECK(response->result_int() == 413);
  }
  for (const std::string target : {"/api/v1/images", "/api/v1/oems"}) {
    INFO(target);
    https_client client(server);
    std::ostringstream chunked;
    chunked << "POST " << target << " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " << admin_token
            << "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            << std::hex << 100 * 1024 * 1024 << "\r\n" << std::string(1000, 'x');
    client.send_bytes(chunked.str());
    const auto response = client.receive();
    REQUIRE(response.has_value());
    CHECK(response->result_int() == 413);
  }
  https_client client(server);
  CHECK(client.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);
}

TEST_CASE("a client that trickles its header or body loses its connection, others are served",
          "[ads_sim][server][limits]") {
  temp_dir dir;
  ads_sim::service_limits limits;
  limits.header_timeout = std::chrono::seconds(1);
  limits.body_timeout = std::chrono::seconds(1);
  running_service server(dir.path(), limits);
  https_client slow_header(server);
  slow_header.send_bytes("GET /api/v1/oems HTTP/1.1\r\nHost: local");
  https_client slow_body(server);
  slow_body.send_bytes("POST /api/v1/oems HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       "Content-Length: 100\r\n\r\n{\"oem_id\":");
  for (auto* client : {&slow_header, &slow_body}) {
    const auto ended = client->wait_closed();
    CHECK(ended);
    CHECK(ended != beast::error::timeout);  // the server closed it, well before this test's deadline
  }
  https_client client(server);
  CHECK(client.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);
}

TEST_CASE("connections beyond the limit are refused at once, and a freed slot serves again",
          "[ads_sim][server][limits]") {
  temp_dir dir;
  ads_sim::service_limits limits;
  limits.max_connections = 4;
  running_service server(dir.path(), limits);
  std::vector<std::unique_ptr<https_client>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<https_client>(server));
    REQUIRE_FALSE(open.back()->handshake_error());
  }
  https_client refused(server);
  CHECK(refused.handshake_error());
  CHECK(server.wait_for_requests("connection refused: 4 connections open", 1));
  CHECK(open.front()->call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);

  open.pop_back();  // its socket closes; the server lets the connection go
  bool served = false;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!served && std::chrono::steady_clock::now() < until) {
    https_client again(server);
    served = !again.handshake_error() &&
             again.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200;
  }
  CHECK(served);
}

TEST_CASE("a thousand open connections leave the service answering", "[ads_sim][server][limits]") {
  // Two descriptors per connection in this process (client and server side).
  rlimit files{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &files) == 0);
  files.rlim_cur = std::max<rlim_t>(files.rlim_cur, std::min<rlim_t>(files.rlim_max, 4096));
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &files) == 0);
  if (files.rlim_cur < 2200) FAIL("this test needs 2200 descriptors; the hard limit is " << files.rlim_max);

  temp_dir dir;
  running_service server(dir.path());
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> idle;
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), server.service->port());
  for (int i = 0; i < 1000; ++i) {
    idle.emplace_back(io);
    beast::error_code ec;
    idle.back().connect(endpoint, ec);
    REQUIRE_FALSE(ec);
  }
  https_client client(server);
  REQUIRE_FALSE(client.handshake_error());
  CHECK(client.call(http::verb::get, "/api/v1/oems", nullptr, admin_headers()).result_int() == 200);
}
