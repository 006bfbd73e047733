#include <catch2/catch.hpp>

#include "agent/ntp_packet.hpp"
#include "network_test_rig.hpp"

using agent::ntp_answer_error;
using agent::ntp_timestamp;

namespace {

constexpr std::int64_t jan_2030 = 1'893'456'000;  // 2030-01-01 00:00:00 UTC

ntp_timestamp sent_at(std::int64_t unix_time) { return agent::ntp_from_unix(unix_time, 0x1234'5678); }

ntp_answer_error error_of(std::string_view datagram, ntp_timestamp sent) {
  const auto decoded = agent::decode_ntp_answer(datagram, sent);
  REQUIRE_FALSE(decoded.answer);
  return decoded.error;
}

}  // namespace

TEST_CASE("ntp packet: the request is a 48-byte NTPv4 client header carrying its transmit timestamp") {
  const std::string request = agent::encode_ntp_request({0xE9D0'2B80, 0x0000'0007});
  REQUIRE(request.size() == 48);
  CHECK(static_cast<unsigned char>(request[0]) == 0x23);  // LI 0, VN 4, mode 3
  CHECK(request.substr(1, 39) == std::string(39, '\0'));
  CHECK(request.substr(40) == std::string("\xE9\xD0\x2B\x80\x00\x00\x00\x07", 8));
}

TEST_CASE("ntp packet: NTP and Unix seconds convert both ways, across the 2036 era change") {
  CHECK(agent::ntp_from_unix(0).seconds == 2'208'988'800u);
  CHECK(agent::unix_from_ntp({2'208'988'800u, 0}) == 0);
  for (std::int64_t t : {std::int64_t{1'700'000'000}, jan_2030, std::int64_t{2'085'978'495},  // the last era-0 second
                         std::int64_t{2'085'978'496}, std::int64_t{3'000'000'000}}) {
    INFO(t);
    CHECK(agent::unix_from_ntp(agent::ntp_from_unix(t)) == t);
  }
  CHECK(agent::ntp_from_unix(2'085'978'496).seconds == 0);  // 2036-02-07 06:28:16: era 1 begins
}

TEST_CASE("ntp packet: a server's answer to our request gives the server's times") {
  const ntp_timestamp sent = sent_at(jan_2030);
  const std::string answer = agent_test::ntp_server_answer(agent::encode_ntp_request(sent), jan_2030 + 5);
  const auto decoded = agent::decode_ntp_answer(answer, sent);
  REQUIRE(decoded.answer);
  CHECK(agent::unix_from_ntp(decoded.answer->transmitted) == jan_2030 + 5);
  CHECK(agent::unix_from_ntp(decoded.answer->received) == jan_2030 + 5);
  CHECK(decoded.answer->stratum == 2);
  // Extension fields or a MAC after the header change nothing.
  const auto longer = agent::decode_ntp_answer(answer + std::string(20, '\x55'), sent);
  REQUIRE(longer.answer);
  CHECK(longer.answer->transmitted == decoded.answer->transmitted);
}

TEST_CASE("ntp packet: an answer cut short at every length is refused") {
  const ntp_timestamp sent = sent_at(jan_2030);
  const std::string answer = agent_test::ntp_server_answer(agent::encode_ntp_request(sent), jan_2030);
  for (std::size_t length = 0; length < answer.size(); ++length) {
    INFO("length " << length);
    CHECK(error_of(answer.substr(0, length), sent) == ntp_answer_error::too_short);
  }
  CHECK(agent::decode_ntp_answer(answer, sent).answer);
}

TEST_CASE("ntp packet: answers that cannot set a clock say why") {
  const ntp_timestamp sent = sent_at(jan_2030);
  const std::string good = agent_test::ntp_server_answer(agent::encode_ntp_request(sent), jan_2030);
  auto changed = [&](std::size_t at, char value) {
    std::string bad = good;
    bad[at] = value;
    return bad;
  };
  CHECK(error_of(changed(0, 0x23), sent) == ntp_answer_error::not_a_server);            // mode 3: a client's
  CHECK(error_of(changed(0, 0x25), sent) == ntp_answer_error::not_a_server);            // mode 5: broadcast
  CHECK(error_of(changed(0, 0x04), sent) == ntp_answer_error::not_a_server);            // version 0
  CHECK(error_of(changed(0, 0x2C), sent) == ntp_answer_error::not_a_server);            // version 5
  CHECK(agent::decode_ntp_answer(changed(0, 0x1C), sent).answer);                       // version 3 is fine
  CHECK(agent::decode_ntp_answer(changed(0, 0x64), sent).answer);                       // a leap second ahead too
  CHECK(error_of(changed(0, static_cast<char>(0xE4)), sent) == ntp_answer_error::unsynchronised);  // LI 3
  CHECK(error_of(changed(1, 0), sent) == ntp_answer_error::kiss_of_death);              // stratum 0 (RATE, DENY)
  CHECK(error_of(changed(1, 16), sent) == ntp_answer_error::kiss_of_death);
  CHECK(agent::decode_ntp_answer(changed(1, 15), sent).answer);
  for (std::size_t at = 24; at < 32; ++at) {  // any bit of the origin timestamp wrong: not our request
    INFO("origin byte " << at);
    CHECK(error_of(changed(at, static_cast<char>(good[at] ^ 0x01)), sent) == ntp_answer_error::not_our_request);
  }
  std::string no_time = good;
  no_time.replace(40, 8, std::string(8, '\0'));
  CHECK(error_of(no_time, sent) == ntp_answer_error::no_time);
}
