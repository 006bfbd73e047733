#pragma once
// An ntp_port that records what the client asks; the test answers by query number.
#include <cstdint>
#include <string>
#include <vector>

#include "agent/ntp_client.hpp"

namespace agent_test {

struct fake_ntp_port : agent::ntp_port {
  struct asked {
    std::uint64_t query;
    std::string host;
    std::string request;
  };
  std::vector<asked> asks;
  int stops = 0;

  void ask(std::uint64_t query, std::string host, std::string request) override {
    asks.push_back({query, std::move(host), std::move(request)});
  }
  void stop() override { ++stops; }
};

// A server's answer (mode 4, stratum 2) to `request`, whose transmit timestamp it echoes, saying it is `unix_time`.
inline std::string ntp_server_answer(const std::string& request, std::int64_t unix_time) {
  std::string answer(48, '\0');
  answer[0] = static_cast<char>((4 << 3) | 4);  // no leap warning, version 4, mode 4
  answer[1] = 2;
  answer.replace(24, 8, request.substr(40, 8));  // origin = the request's transmit timestamp
  const auto ntp_seconds = static_cast<std::uint32_t>(unix_time + 2'208'988'800LL);
  for (int at : {32, 40}) {  // receive and transmit timestamps, no fraction
    for (int i = 0; i < 4; ++i) answer[at + i] = static_cast<char>((ntp_seconds >> (24 - 8 * i)) & 0xff);
  }
  return answer;
}

}  // namespace agent_test
