#include "harness/haproxy_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace e2e {
namespace {

sockaddr_in loopback_address(unsigned short port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A loopback port nobody listens on now: bound, read and released for HAProxy to bind (it takes no port 0).
std::string unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback_address(0);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("haproxy_proxy: cannot find a free loopback port");
  ::close(fd);
  return std::to_string(ntohs(address.sin_port));
}

bool accepts_connections(const std::string& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = loopback_address(static_cast<unsigned short>(std::stoi(port)));
  const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

}  // namespace

std::string haproxy_config(const std::string& listen_port, const std::vector<proxied_replica>& replicas,
                           const std::string& dying_port) {
  std::string config =
      "global\n"
      "  maxconn 4096\n"  // each connection takes two descriptors: under a usual 20,000 descriptor limit
      "\n"
      "defaults\n"
      "  mode tcp\n"
      "  timeout connect 1s\n"
      // Devices keep their connection (ANS, keep-alive): no idle cut shorter than theirs.
      "  timeout client 1h\n"
      "  timeout server 1h\n"
      // A connection that reaches a replica not yet marked down is retried on another.
      "  retries 2\n"
      "  option redispatch\n"
      "\n"
      "frontend ads\n"
      "  bind 127.0.0.1:" + listen_port + "\n"
      "  default_backend ads_replicas\n"
      "\n"
      "backend ads_replicas\n"
      "  balance roundrobin\n"
      // The health check is HTTP over TLS although the traffic is passed through as TCP.
      "  option httpchk\n"
      "  http-check send meth GET uri /healthz\n"
      "  http-check expect status 200\n"
      // Checked every 500 ms, out after 3 failures: a dead replica (its port refuses at once) leaves the rotation
      // within ~1.5 s. A busy one (making RSA keys on its loop) may take over a second to answer: the check waits
      // 2 s, and a replica marked down keeps its open connections (cutting them would drop live devices).
      "  timeout check 2s\n"
      "  default-server check check-ssl verify none inter 500ms fall 3 rise 2\n";
  for (std::size_t i = 0; i < replicas.size(); ++i)
    config += "  server replica" + std::to_string(i) + " " + replicas[i].host + ":" + replicas[i].port + "\n";
  if (!dying_port.empty()) {
    // The TCP connection succeeds (no redispatch), then closes before TLS: the client sees the cut itself.
    config += "  server dying 127.0.0.1:" + dying_port + " no-check\n"
              "\n"
              "frontend dying\n"
              "  bind 127.0.0.1:" + dying_port + "\n"
              "  tcp-request connection reject\n";
  }
  return config;
}

haproxy_proxy::haproxy_proxy(const std::vector<proxied_replica>& replicas, rotation made_of)
    : port_(unused_loopback_port()) {
  const auto config_file = dir_.path() / "haproxy.cfg";
  std::string dying_port;
  while (made_of == rotation::replicas_and_a_dying_one && (dying_port.empty() || dying_port == port_))
    dying_port = unused_loopback_port();
  std::ofstream(config_file) << haproxy_config(port_, replicas, dying_port);
  program_ = std::make_unique<running_program>("haproxy", std::vector<std::string>{"-f", config_file.string(), "-db"});
  const auto deadline = std::chrono::steady_clock::now() + startup_deadline;
  while (!accepts_connections(port_)) {
    if (program_->pid() <= 0 || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("haproxy did not listen on 127.0.0.1:" + port_ + ": " + program_->err());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a poll interval, not a wait for the event
  }
}

haproxy_proxy::~haproxy_proxy() { program_->terminate(); }

std::vector<proxied_replica> replicas_of(const std::vector<const device_service*>& services) {
  std::vector<proxied_replica> replicas;
  for (const device_service* service : services) replicas.push_back({service->host(), service->port()});
  return replicas;
}

}  // namespace e2e
