#pragma once
// socket_service: the SIM7600's TCP/IP service in non-transparent mode (AT Command Manual §15: AT+NETOPEN,
// AT+NETCLOSE, AT+IPADDR, AT+CIPOPEN, AT+CIPSEND, AT+CIPRXGET, AT+CIPCLOSE, AT+CDNSGIP and their settings).
// Sans-I/O: it keeps the link table and each link's receive buffer, and asks a socket_port to open, send and
// close real sockets by socket_id; the I/O layer reports back with the same id. Time never enters: the open
// deadline travels with the request (AT+CIPTIMEOUT).
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"

namespace agent {

enum class socket_protocol { tcp, udp };

struct socket_endpoint {
  std::string host;  // a name or a dotted address
  std::uint16_t port = 0;
  bool operator==(const socket_endpoint&) const = default;
};

// Names one opened socket for its whole life; a link number is reused, an id never is.
using socket_id = std::uint64_t;

// The manual's <err> values of +CIPOPEN / +CIPCLOSE / +CIPERROR (§15.3).
enum class ip_error {
  none = 0,
  network_failure = 1,
  network_not_opened = 2,
  wrong_parameter = 3,
  not_supported = 4,
  create_failed = 5,
  bind_failed = 6,
  busy = 8,
  timeout = 10,
  dns_failed = 11,
};

// The manual's <close_reason> of +IPCLOSE.
enum class close_reason { local = 0, remote = 1, send_timeout = 2 };

// What the service asks of the I/O layer.
class socket_port {
 public:
  virtual ~socket_port() = default;
  // TCP: connect to `remote` within `timeout`. UDP: bind `local_port` (0: any). Answered by on_opened.
  virtual void open(socket_id id, socket_protocol protocol, socket_endpoint remote, std::uint16_t local_port,
                    std::chrono::milliseconds timeout) = 0;
  // Queues bytes (UDP: one datagram to `to`); answered by on_sent once written.
  virtual void send(socket_id id, std::string bytes, std::optional<socket_endpoint> to) = 0;
  // Closes at once; nothing more is reported for `id`.
  virtual void close(socket_id id) = 0;
  // The link's receive buffer has room again after the service reported it full (rx_room() was 0).
  virtual void resume_receiving(socket_id id) = 0;
  // AT+CDNSGIP: answered by on_resolved with the same query number.
  virtual void resolve(std::uint64_t query, std::string host) = 0;
};

struct socket_service_ports {
  socket_port& io;
  std::function<void(std::string line, std::string payload)> post_urc;  // at_engine::post_urc
  std::function<void(data_prompt)> ask_for_data;                        // at_engine::ask_for_data
  std::function<void(command_result)> complete;                          // at_engine::complete
  // AT+NETOPEN: bring the data call of the TCP/IP service up (context 1); false when it cannot come up.
  std::function<bool()> open_data_call;
};

class socket_service {
 public:
  static constexpr int link_count = 10;                 // links 0-9
  static constexpr std::size_t max_send = 1500;         // AT+CIPSEND <length>, and the Ctrl-Z form's limit
  static constexpr std::size_t max_read = 1500;         // AT+CIPRXGET=2 <len>
  static constexpr std::size_t max_hex_read = 750;      // AT+CIPRXGET=3 <len>
  static constexpr std::size_t rx_capacity = 64 * 1024;  // each link's receive buffer; reading stops when full
  static constexpr std::size_t tx_capacity = 64 * 1024;  // bytes given to the I/O layer and not yet written
  static constexpr const char* local_address = "10.71.155.118";  // the address AT+IPADDR reports

  explicit socket_service(socket_service_ports ports);

  void add_to(command_table& table);

  // ---- from the world: the data call the service runs on went down (or came up) ----
  void data_call_changed(bool up);
  // The module rebooted: every socket closed, settings back to their defaults, nothing reported.
  void power_cycle();

  // ---- from the I/O layer, by id (ids of closed sockets are ignored) ----
  void on_opened(socket_id id, ip_error error);
  void on_sent(socket_id id, std::size_t bytes);
  // Bytes received; the I/O layer never gives more than rx_room(id) (a UDP datagram that does not fit is dropped).
  void on_received(socket_id id, std::string_view bytes);
  void on_closed(socket_id id, close_reason reason);  // the peer closed, or the connection failed
  void on_resolved(std::uint64_t query, std::optional<std::string> address);
  std::size_t rx_room(socket_id id) const;

 private:
  struct link {
    enum class phase { closed, opening, open };
    phase state = phase::closed;
    socket_id id = 0;
    socket_protocol protocol = socket_protocol::tcp;
    socket_endpoint remote = {};
    std::string rx = {};      // received, not yet read by the host (manual mode)
    bool rx_reported = false;  // +CIPRXGET: 1,<link> said, and the buffer not yet read empty
    bool rx_paused = false;    // rx_room() reported 0: resume_receiving() owed
    std::size_t unsent = 0;    // given to the I/O layer, not yet written
  };
  // Network (AT+NETOPEN) states: the service runs only while open.
  enum class network { closed, open };

  link* find(socket_id id);
  const link* find(socket_id id) const;
  // The rows' handlers.
  command_result read_netopen() const;
  command_result net_open();
  command_result net_close();
  command_result local_address_line() const;  // AT+IPADDR
  command_result read_cipopen() const;        // every link, open or not
  command_result open_link(const at_params& params);
  command_result read_cipclose() const;
  command_result close_link(const at_params& params);
  command_result send(const at_params& params);
  command_result receive(const at_params& params);
  command_result resolve(const at_params& params);  // AT+CDNSGIP: held until on_resolved()
  // Closes a link's socket; `urc` is the line to report it with (none when empty).
  void drop(int number, std::string urc);
  void read_some(link& l, std::size_t count);  // after the host took bytes: resume a paused socket

  socket_service_ports ports_;
  network network_ = network::closed;
  std::array<link, link_count> links_;
  socket_id next_id_ = 1;
  std::uint64_t next_query_ = 1;
  std::optional<std::pair<std::uint64_t, std::string>> pending_query_;  // AT+CDNSGIP held for the resolver
  // Settings.
  int rx_mode_ = 0;        // AT+CIPRXGET: 0 data pushed as +RECEIVE, 1 kept for the host to read
  int cipmode_ = 0;        // AT+CIPMODE: 0 non-transparent (1, transparent, is refused at AT+CIPOPEN)
  int send_mode_ = 0;      // AT+CIPSENDMODE
  std::array<int, 7> ccfg_ = {10, 0, 0, 1, 1, 0, 500};  // AT+CIPCCFG
  std::array<int, 3> timeouts_ = {120000, 120000, 120000};  // AT+CIPTIMEOUT: netopen, cipopen, cipsend (ms)
};

}  // namespace agent
