#pragma once
// A module_core with its network ports faked — the TCP/IP service's sockets and AT+CNTP's NTP queries — which the
// test answers by id, booted with echo off.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/module_core.hpp"
#include "agent/ntp_client.hpp"
#include "agent/socket_service.hpp"
#include "agent_test_support.hpp"

namespace agent_test {

// Records what the service asks of the I/O layer; the test answers by id.
struct fake_socket_io : agent::socket_port {
  struct opened {
    agent::socket_id id;
    agent::socket_protocol protocol;
    agent::socket_endpoint remote;
    std::uint16_t local_port;
    std::chrono::milliseconds timeout;
  };
  std::vector<opened> opens;
  std::vector<std::pair<agent::socket_id, std::string>> sends;
  std::vector<std::optional<agent::socket_endpoint>> send_targets;
  std::vector<agent::socket_id> closes;
  std::vector<agent::socket_id> resumed;
  std::vector<std::pair<std::uint64_t, std::string>> queries;

  void open(agent::socket_id id, agent::socket_protocol protocol, agent::socket_endpoint remote,
            std::uint16_t local_port, std::chrono::milliseconds timeout) override {
    opens.push_back({id, protocol, std::move(remote), local_port, timeout});
  }
  void send(agent::socket_id id, std::string bytes, std::optional<agent::socket_endpoint> to) override {
    sends.emplace_back(id, std::move(bytes));
    send_targets.push_back(std::move(to));
  }
  void close(agent::socket_id id) override { closes.push_back(id); }
  void resume_receiving(agent::socket_id id) override { resumed.push_back(id); }
  void resolve(std::uint64_t query, std::string host) override { queries.emplace_back(query, std::move(host)); }
};

// An ntp_port that records what the client asks; the test answers by query number.
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

// With `network_auto`, context 1 is up after boot (the TCP/IP service still needs AT+NETOPEN).
struct network_rig {
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  test_support::fake_nv nv{test_support::nv_saves::at_once};
  fake_socket_io io;
  fake_ntp_port ntp;
  agent::module_core module;

  explicit network_rig(bool network_auto = true)
      : module(options(network_auto), timers, clock, nv, {}, nullptr, &io, nullptr, &ntp) {
    module.power_on();
    timers.fire(apca::timer_id::boot, module);
    module.take_output();
    REQUIRE(feed("ATE0\r") == "ATE0\r\r\nOK\r\n");
  }
  static agent::module_options options(bool network_auto) {
    agent::module_options options;
    options.network_auto = network_auto;
    return options;
  }
  std::string feed(std::string_view bytes) {
    module.feed(bytes);
    return module.take_output();
  }
  std::string output() { return module.take_output(); }
};

}  // namespace agent_test
