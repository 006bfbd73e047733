// The running service's ANS notifier over real UDP on loopback: a device registers with the key GET /dsns gives,
// and a to-device change set through the service reaches it as an event packet.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "ads_client/ans_packet.hpp"
#include "tests/unit/ads_sim/running_service.hpp"

using namespace ads_sim_test;
namespace ans = ads_client::ans;

namespace {

// A UDP socket on loopback whose receive gives up after `deadline`.
struct udp_socket {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ~udp_socket() { ::close(fd); }

  void send_to(std::uint16_t port, const std::string& bytes) const {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) ==
            static_cast<ssize_t>(bytes.size()));
  }
  std::optional<std::string> receive(std::chrono::seconds deadline) const {
    timeval limit{static_cast<time_t>(deadline.count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    char buffer[2048];
    const auto got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(got));
  }
};

}  // namespace

TEST_CASE("ANS over UDP: register, keep alive, and an event when the cloud changes a property", "[ads_sim][ans]") {
  running_service s;
  const auto identity = s.service->ensure_demo_identity();
  REQUIRE(identity);
  // The device's ANS key: what GET /dsns gives it as ans_cipher_key.
  const auto key = s.service->ans_key_for(identity->dsn);
  REQUIRE(key.has_value());
  udp_socket device;
  device.send_to(s.service->ans_port(), ans::encode_registration({identity->dsn, {ans::op::reg, 1, 0}, 30}, *key));
  const auto answer = device.receive(std::chrono::seconds(5));
  REQUIRE(answer.has_value());
  const auto reg = ans::decode_message(*answer, *key);
  REQUIRE(reg.has_value());
  CHECK(reg->head.code == ans::op::reg_resp);

  REQUIRE(s.service->set_property(identity->dsn, "Blue_LED", json(1), "boolean"));
  const auto event = device.receive(std::chrono::seconds(5));
  REQUIRE(event.has_value());
  const auto notify = ans::decode_message(*event, *key);
  REQUIRE(notify.has_value());
  CHECK(notify->head.code == ans::op::notify);
  CHECK(notify->reg_key == reg->reg_key);
}
