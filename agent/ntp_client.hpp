#pragma once
// ntp_client: the SNTP client behind AT+CNTP — one query at a time to a named server, sent again once when no
// answer comes, ending with the manual's <err> and, on success, the UTC the module's clock is set to. Sans-I/O: an
// ntp_port resolves the name and carries the datagrams, a timer runs only while a query is in flight.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/ntp_packet.hpp"
#include "apca/ports.hpp"

namespace agent {

// What the client asks of the I/O layer.
class ntp_port {
 public:
  virtual ~ntp_port() = default;
  // Resolves `host`, sends `request` to its NTP port over UDP and reports by `query` each datagram from that
  // address (ntp_client::on_answer), or that it cannot be reached (on_unreachable). Replaces any earlier query.
  virtual void ask(std::uint64_t query, std::string host, std::string request) = 0;
  virtual void stop() = 0;  // nothing more is reported
};

// The manual's <err> of +CNTP.
enum class ntp_error {
  none = 0,
  unknown = 1,
  wrong_parameter = 2,
  wrong_time = 3,  // "wrong date and time calculated"
  network = 4,
  time_zone = 5,
  timeout = 6,
};

struct ntp_result {
  ntp_error error = ntp_error::none;
  std::int64_t utc = 0;  // with none: the time now, by the server and half the round trip
};

struct ntp_client_ports {
  ntp_port& io;
  apca::timer_port& timers;
  apca::clock_port& clock;                  // the host's clock: the request's time and the round trip
  std::function<void(ntp_result)> finished;  // once per start()
};

class ntp_client {
 public:
  static constexpr std::chrono::milliseconds answer_wait{4000};
  static constexpr int attempts = 2;  // two silent waits end the query with a timeout (within TinyGSM's 10 s)

  explicit ntp_client(ntp_client_ports ports);

  bool busy() const { return query_.has_value(); }
  void start(std::string host);  // only when not busy()

  // ---- from the I/O layer, by query (other queries are stale and ignored) ----
  void on_answer(std::uint64_t query, std::string_view datagram);
  void on_unreachable(std::uint64_t query);  // the name did not resolve, or nothing could be sent
  void on_timer();                           // timer_id::ntp
  void cancel();                             // the module rebooted: nothing is reported

 private:
  struct in_flight {
    std::string host;
    std::uint64_t query = 0;
    ntp_timestamp sent = {};
    std::int64_t sent_at = 0;  // host clock, unix seconds
    int attempts = 0;
  };
  void send_attempt();
  void finish(ntp_result result);

  ntp_client_ports ports_;
  std::optional<in_flight> query_;
  std::uint64_t next_query_ = 1;
};

}  // namespace agent
