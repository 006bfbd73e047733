// ans_client against a scripted notifier: the test plays Ayla's ANS with the packet codec, every datagram the
// client sends is decoded and checked, and timers fire only when the test says so (no sockets, no clocks).
#include <catch2/catch.hpp>

#include <deque>

#include "ads_client/ans_packet.hpp"
#include "apca/ans_client.hpp"
#include "tests/support/fake_ports.hpp"

namespace {

namespace ans = ads_client::ans;
using namespace std::chrono_literals;

const std::string cipher_key = "0123456789abcdef";
const std::string dsn = "AC000W000000001";
constexpr std::uint32_t reg_key = 0x5eed1234;

struct ans_recorder : apca::ans_client::listener {
  std::vector<std::string> events;
  void on_ans_up() override { events.push_back("up"); }
  void on_ans_down() override { events.push_back("down"); }
  void on_ans_event() override { events.push_back("event"); }
};

std::string sealed(ans::op code, std::uint16_t seq, std::string fields, std::uint32_t key = reg_key,
                   const std::string& with = cipher_key) {
  return ans::encode_message({key, {code, seq, 0}, std::move(fields)}, with, std::string(16, '\x42'));
}

struct ans_fixture {
  test_support::fake_udp udp;
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  ans_recorder events;
  apca::ans_client client{udp, timers, clock, events};

  // The registration the client sent, checked with the device's key as the service would.
  ans::registration take_registration() {
    const auto reg = ans::decode_registration(udp.take(), [](std::string_view name) -> std::optional<std::string> {
      if (name != dsn) return std::nullopt;
      return cipher_key;
    });
    REQUIRE(reg);
    CHECK(reg->dsn == dsn);
    CHECK(reg->head.code == ans::op::reg);
    return *reg;
  }
  ans::message take_message() {
    const auto msg = ans::decode_message(udp.take(), cipher_key);
    REQUIRE(msg);
    CHECK(msg->reg_key == reg_key);
    return *msg;
  }
  void receive(const std::string& datagram) { udp.to->on_datagram(datagram); }
  void fire() {
    REQUIRE(timers.armed.count(apca::timer_id::ans) == 1);
    timers.armed.erase(apca::timer_id::ans);
    client.on_timer();
  }

  void register_up(std::uint16_t period = 30) {
    client.start({dsn, "ans.example", 55055, cipher_key});
    CHECK(udp.open_now);
    CHECK(udp.host == "ans.example");
    CHECK(udp.port == 55055);
    const auto reg = take_registration();
    receive(sealed(ans::op::reg_resp, reg.head.seq, ans::period_field(period) + ans::error_field(0)));
    REQUIRE(client.up());
    REQUIRE(events.events.back() == "up");
  }
};

}  // namespace

TEST_CASE("ans_client registers with its DSN signed by the cipher key and is up on the service's answer") {
  ans_fixture f;
  f.register_up(60);
  CHECK(f.client.keep_alive_period() == 60s);
  CHECK(f.timers.armed.at(apca::timer_id::ans) == 57s);  // the keep-alive goes 3 s before the period ends
  CHECK(f.udp.sent.empty());
}

TEST_CASE("ans_client keeps alive at the service's period, each keep-alive sealed under the registration key") {
  ans_fixture f;
  f.register_up(30);
  for (int round = 0; round < 3; ++round) {
    CHECK(f.timers.armed.at(apca::timer_id::ans) == 27s);
    f.fire();
    const auto keep_alive = f.take_message();
    CHECK(keep_alive.head.code == ans::op::keep_alive);
    CHECK(ans::read_u16(keep_alive.fields, 0) == 30);
    CHECK(f.timers.armed.at(apca::timer_id::ans) == 3s);  // waiting for its answer
    f.receive(sealed(ans::op::keep_alive_resp, keep_alive.head.seq, ans::error_field(0)));
  }
  CHECK(f.events.events == std::vector<std::string>{"up"});
}

TEST_CASE("ans_client acknowledges an event with its sequence and asks for commands at once") {
  ans_fixture f;
  f.register_up();
  f.receive(sealed(ans::op::notify, 77, {}));
  CHECK(f.events.events.back() == "event");
  const auto ack = f.take_message();
  CHECK(ack.head.code == ans::op::notify_resp);
  CHECK(ack.head.seq == 77);
}

TEST_CASE("ans_client ignores forged, foreign and garbled packets") {
  ans_fixture f;
  f.client.start({dsn, "ans.example", 55055, cipher_key});
  const auto reg = f.take_registration();
  // Before it is up: an answer to another sequence, or sealed with another key, does not bring it up.
  f.receive(sealed(ans::op::reg_resp, static_cast<std::uint16_t>(reg.head.seq + 1),
                   ans::period_field(30) + ans::error_field(0)));
  f.receive(sealed(ans::op::reg_resp, reg.head.seq, ans::period_field(30) + ans::error_field(0), reg_key,
                   "fedcba9876543210"));
  CHECK_FALSE(f.client.up());
  f.receive(sealed(ans::op::reg_resp, reg.head.seq, ans::period_field(30) + ans::error_field(0)));
  REQUIRE(f.client.up());
  const std::vector<std::string> forged = {
      "",
      "garbage",
      std::string(64, '\0'),
      sealed(ans::op::notify, 5, {}, reg_key + 1),                    // another registration's key
      sealed(ans::op::notify, 5, {}, reg_key, "fedcba9876543210"),    // sealed by someone without our key
      sealed(ans::op::keep_alive_resp, 999, ans::error_field(0)),     // answers nothing we asked
      ans::encode_registration({dsn, {ans::op::notify, 5, 0}, 0}, cipher_key),  // clear text
  };
  for (const auto& packet : forged) f.receive(packet);
  std::string flipped = sealed(ans::op::notify, 5, {});
  flipped.back() = static_cast<char>(flipped.back() ^ 1);  // the CRC no longer holds
  f.receive(flipped);
  CHECK(f.events.events == std::vector<std::string>{"up"});
  CHECK(f.udp.sent.empty());
}

TEST_CASE("ans_client sees ANS lost when keep-alives go unanswered, and registers again after a growing backoff") {
  ans_fixture f;
  f.register_up();
  f.fire();  // keep-alive time
  for (int unanswered = 0; unanswered < 3; ++unanswered) {
    CHECK(f.take_message().head.code == ans::op::keep_alive);
    f.fire();
  }
  CHECK(f.events.events.back() == "down");
  CHECK_FALSE(f.client.up());
  CHECK(f.udp.sent.empty());
  CHECK(f.timers.armed.at(apca::timer_id::ans) == 1s);
  f.fire();
  f.take_registration();
  for (int unanswered = 0; unanswered < 2; ++unanswered) {
    f.fire();
    f.take_registration();  // resent
  }
  f.fire();
  CHECK(f.timers.armed.at(apca::timer_id::ans) == 2s);  // lost again: twice the wait
  f.fire();
  const auto reg = f.take_registration();
  f.receive(sealed(ans::op::reg_resp, reg.head.seq, ans::period_field(30) + ans::error_field(0)));
  CHECK(f.client.up());
  CHECK(f.events.events == std::vector<std::string>{"up", "down", "down", "up"});
}

TEST_CASE("ans_client registers again at once when the service has forgotten it") {
  ans_fixture f;
  f.register_up();
  f.fire();
  const auto keep_alive = f.take_message();
  f.receive(sealed(ans::op::keep_alive_resp, keep_alive.head.seq, ans::error_field(3)));
  CHECK_FALSE(f.client.up());
  f.take_registration();
}

TEST_CASE("ans_client stopped is quiet: no timer, no packets, no events") {
  ans_fixture f;
  f.register_up();
  f.client.stop();
  CHECK_FALSE(f.udp.open_now);
  CHECK(f.timers.armed.count(apca::timer_id::ans) == 0);
  f.receive(sealed(ans::op::notify, 5, {}));
  f.client.on_timer();
  CHECK(f.udp.sent.empty());
  CHECK(f.events.events == std::vector<std::string>{"up"});
}
