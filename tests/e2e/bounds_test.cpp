// Bounded under load (issue 8, the module side): a host pipelining sends while the cloud hangs gets the stated
// queue and then busy, and loses nothing accepted; a thousand TCP clients at once are refused cleanly while one
// is served, and the daemon keeps no trace of them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <regex>

#include "harness/cloud_fixtures.hpp"

using namespace e2e;

namespace {

constexpr std::size_t send_queue_bound = 4096;  // README "Bounds"; one more request may be on the wire

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
  return count;
}

// A TCP connection to the AT port, read to its end: what the module said before closing it.
std::optional<std::string> said_before_close(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string said;
  char buffer[256];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return said;
    if (n < 0) return std::nullopt;
    said.append(buffer, static_cast<std::size_t>(n));
  }
  return std::nullopt;
}

std::size_t open_fds(pid_t pid) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("10,000 pipelined sends while the service hangs: the queue's bound, then busy, nothing accepted lost",
          "[e2e][bounds]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_devices(admin, "b0d00001").front();
  auto m = module_for(service, device);
  enable_and_listen(m->port);
  REQUIRE(m->port.command("ATE0").ends_with("OK\r\n"));

  service.freeze();
  // Pipelined in batches of 1,000 lines written at once: a batch's answers fit the port's output buffer, so a
  // test that reads line by line loses none of them (a host that does not read loses output, as on a UART).
  constexpr int sends = 10000, batch = 1000;
  std::string answers;
  for (int first = 0; first < sends; first += batch) {
    std::string lines;
    for (int i = first; i < first + batch; ++i)
      lines += "AT+ADA=\"s\",\"counter\",\"i\",\"" + std::to_string(i) + "\"\r";
    m->port.send(lines);
    for (int finals = 0; finals < batch;) {
      const std::string line = m->port.read_until("\r\n", 10s);
      REQUIRE(line.ends_with("\r\n"));
      if (line == "OK\r\n" || line == "ERROR\r\n") ++finals;  // echo is off: a final result is a line of its own
      answers += line;
    }
  }

  const std::string busy = "\r\n+ADA: \"s\",\"err\",2,\"busy: send queue full\"\r\n\r\nERROR\r\n";
  const std::size_t accepted = count_of(answers, "\r\nOK\r\n");
  CHECK(accepted == send_queue_bound + 1);
  CHECK(count_of(answers, busy) == sends - accepted);
  CHECK(count_of(answers, "\r\nERROR\r\n") == sends - accepted);

  // The service answers again: every accepted value arrives, the first `accepted` in order, each with its status.
  service.thaw();
  const std::string status = "+ADA: \"s\",\"counter\",\"status\",0\r\n";
  answers += read_until_count(m->port, status, accepted - count_of(answers, status), 120s);
  CHECK(count_of(answers, status) == accepted);
  const auto datapoints = admin.get("/devices/" + device.dsn + "/properties/counter/datapoints");
  REQUIRE(datapoints.status == 200);
  const auto& list = datapoints.body.at("datapoints");
  REQUIRE(list.size() == accepted);
  for (std::size_t i = 0; i < accepted; ++i) REQUIRE(list.at(i).at("value") == i);
}

TEST_CASE("1,000 TCP clients at once: one is served, the rest told busy and closed, no fd kept", "[e2e][bounds]") {
  booted_module m({"--tcp", "127.0.0.1:0"});
  std::smatch where;
  REQUIRE(std::regex_search(m.module.ready_line(), where, std::regex(R"( tcp 127\.0\.0\.1:(\d+)$)")));
  const auto port_number = static_cast<unsigned short>(std::stoi(where[1]));
  host_port served = host_port::connect_tcp("127.0.0.1", port_number);
  REQUIRE(served.command("AT").ends_with("\r\nOK\r\n"));
  const std::size_t fds_before = open_fds(m.module.pid());

  std::vector<int> clients;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_number);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 1000; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    clients.push_back(fd);
  }
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  std::size_t told_busy = 0;
  for (const int fd : clients) {
    if (said_before_close(fd, deadline) == "busy\r\n") ++told_busy;
    ::close(fd);
  }
  CHECK(told_busy == clients.size());

  // The served client never noticed; the daemon holds what it held before.
  CHECK(served.command("ATI").ends_with("\r\nOK\r\n"));
  CHECK(open_fds(m.module.pid()) == fds_before);
}
