// pg::connection beyond statements: its connect timeout (a server that accepts TCP but never answers is given up,
// and a URL's own connect_timeout wins over the default) and what an event loop needs to LISTEN through it (the
// socket, reading without waiting, the notifications, a lost connection noticed).
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "ads_sim/store/pg_database.hpp"
#include "harness/postgres_database.hpp"

using namespace ads_sim;

namespace {

// A TCP port on loopback that completes handshakes (the kernel's backlog) and never says a word: a database host
// that hangs.
class silent_server {
 public:
  silent_server() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(fd_ >= 0);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t size = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~silent_server() { close(); }
  silent_server(const silent_server&) = delete;
  silent_server& operator=(const silent_server&) = delete;

  int port() const { return port_; }
  // Refuses the waiting handshakes: a client still waiting fails then.
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  int port_ = 0;
};

// Reads `listener` until a notification arrives or the deadline passes.
std::vector<pg::notification> wait_for_notifications(pg::connection& listener) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd readable{listener.socket(), POLLIN, 0};
    ::poll(&readable, 1, 100);
    if (!listener.consume_input()) return {};
    auto received = listener.take_notifications();
    if (!received.empty()) return received;
  }
  return {};
}

std::string with_parameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

}  // namespace

TEST_CASE("pg connection: a server that never answers is given up after the connect timeout",
          "[store][postgres][pg_connection]") {
  silent_server server;
  const std::string url = "postgresql://someone:hunter2@127.0.0.1:" + std::to_string(server.port()) + "/nothing";
  auto attempt = std::async(std::launch::async, [&url] {
    pg::connection db(url);
    return std::pair{db.ok(), db.error()};
  });
  // Without a timeout libpq would wait for ever: closing the port then ends the wait, with another message.
  const bool gave_up = attempt.wait_for(std::chrono::seconds(6 * pg::default_connect_timeout_secs)) ==
                       std::future_status::ready;
  server.close();
  const auto [ok, error] = attempt.get();
  CHECK(gave_up);
  CHECK_FALSE(ok);
  CHECK(error.find("timeout expired") != std::string::npos);
  CHECK(error.find("hunter2") == std::string::npos);
}

TEST_CASE("pg connection: the connect timeout is 5 s unless the URL sets its own", "[store][postgres][pg_connection]") {
  e2e::postgres_database database;
  pg::connection plain(database.url());
  REQUIRE(plain.ok());
  CHECK(plain.setting("connect_timeout") == std::optional<std::string>("5"));
  pg::connection own(with_parameter(database.url(), "connect_timeout=17"));
  REQUIRE(own.ok());
  CHECK(own.setting("connect_timeout") == std::optional<std::string>("17"));
  CHECK(own.setting("dbname") == std::optional<std::string>(database.name()));  // the rest of the URL kept
}

TEST_CASE("pg connection: a LISTENing connection reads what another NOTIFYs, and notices its loss",
          "[store][postgres][pg_connection]") {
  e2e::postgres_database database;
  pg::connection listener(database.url());
  pg::connection sender(database.url());
  REQUIRE(listener.ok());
  REQUIRE(sender.ok());
  CHECK(listener.connected());
  CHECK(listener.socket() >= 0);
  REQUIRE(listener.exec("LISTEN pg_connection_test").ok());
  REQUIRE(sender.query("SELECT pg_notify($1, $2)", "pg_connection_test", "17").ok());
  const auto received = wait_for_notifications(listener);
  REQUIRE(received.size() == 1);
  CHECK(received[0].channel == "pg_connection_test");
  CHECK(received[0].payload == "17");
  CHECK(listener.take_notifications().empty());  // each is taken once

  // An administrator ends the listener's session: the next read says so.
  listener.quiet_notices();
  REQUIRE(sender.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
              .ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool lost = false;
  while (!lost && std::chrono::steady_clock::now() < deadline) {
    pollfd readable{listener.socket(), POLLIN, 0};
    ::poll(&readable, 1, 100);
    lost = !listener.consume_input();
  }
  CHECK(lost);
  CHECK_FALSE(listener.connected());
  CHECK_FALSE(listener.last_failure().empty());
}
