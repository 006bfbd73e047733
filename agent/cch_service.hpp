#pragma once
// cch_service: the SIM7600's SSL/TLS client service in non-transparent mode (AT Command Manual, "AT Commands for
// SSL": AT+CCHSTART, AT+CCHSTOP, AT+CCHSET, AT+CCHMODE, AT+CCHSSLCFG, AT+CCHOPEN, AT+CCHSEND, AT+CCHRECV,
// AT+CCHCLOSE and their URCs). Two sessions, each a plain TCP or a TLS stream (client type 1 or 2) the I/O layer
// opens through a stream_port; the TLS comes from the session's SSL context (AT+CSSLCFG) and the certificates it
// names (AT+CCERTDOWN). Sans-I/O, like socket_service.
#include <array>
#include <functional>
#include <optional>
#include <string>

#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"
#include "agent/stream_port.hpp"

namespace config_store {
struct nv_image;
}

namespace agent {

// The manual's <err> of +CCHOPEN, +CCHSEND, +CCHCLOSE, +CCHSTART, +CCHSTOP.
enum class cch_error {
  none = 0,
  unknown = 2,
  busy = 3,
  peer_closed = 4,
  timeout = 5,
  transfer_failed = 6,
  memory = 7,
  invalid_parameter = 8,
  network = 9,
  open_session = 10,
  state = 11,
  create_socket = 12,
  dns = 13,
  connect_socket = 14,
  handshake = 15,
  close_socket = 16,
  no_network = 17,
  send_timeout = 18,
  no_certificates = 19,
};

// The manual's <err> for a stream that did not open (the HTTP service reports the same codes plus 700).
cch_error cch_error_of(stream_error error);

// What a service over streams (this one, HTTP(S)) needs of the module.
struct stream_service_ports {
  stream_port& io;
  const ssl_contexts& contexts;
  std::function<const config_store::nv_image&()> nv;                     // the certificate store
  std::function<void(std::string line, std::string payload)> post_urc;  // at_engine::post_urc
  std::function<void(data_prompt)> ask_for_data;                        // at_engine::ask_for_data
  std::function<bool()> open_data_call;                                 // as AT+NETOPEN does
};
using cch_ports = stream_service_ports;

class cch_service final : public stream_events {
 public:
  static constexpr int session_count = 2;                 // <session_id> 0-1
  static constexpr std::size_t max_send = 2048;           // AT+CCHSEND <len>
  static constexpr std::size_t max_read = 2048;           // one +CCHRECV: DATA block
  static constexpr std::size_t rx_capacity = 64 * 1024;   // each session's receive cache; reading stops when full

  explicit cch_service(cch_ports ports) : ports_(std::move(ports)) {}

  void add_to(command_table& table);
  void data_call_changed(bool up);
  void power_cycle();  // every session closed, settings back to defaults, nothing reported

  // ---- stream_events ----
  void on_opened(stream_id id, stream_error error) override;
  void on_sent(stream_id id, std::size_t bytes) override;
  void on_received(stream_id id, std::string_view bytes) override;
  void on_closed(stream_id id) override;
  std::size_t rx_room(stream_id id) const override;

 private:
  struct session {
    enum class phase { closed, opening, open };
    phase state = phase::closed;
    stream_id id = 0;
    socket_endpoint remote = {};
    int client_type = 2;  // 1 TCP, 2 SSL/TLS
    std::string rx = {};  // received, not yet read (AT+CCHSET receive mode 1)
    bool rx_paused = false;
  };

  session* find(stream_id id);
  const session* find(stream_id id) const;
  int number_of(const session& s) const { return static_cast<int>(&s - sessions_.data()); }

  command_result start();
  command_result stop();
  command_result read_cchopen() const;
  command_result open(const at_params& params);
  command_result send(const at_params& params);
  command_result read_cached_lengths() const;  // AT+CCHRECV?
  command_result receive(const at_params& params);
  command_result close(const at_params& params);
  command_result read_sslcfg() const;
  command_result set_sslcfg(const at_params& params);
  void drop(session& s);
  void deliver(session& s, std::size_t count);  // one +CCHRECV: DATA block of the cache

  cch_ports ports_;
  bool started_ = false;
  std::array<session, session_count> sessions_{};
  std::array<int, session_count> ssl_context_of_{};  // AT+CCHSSLCFG
  stream_id next_id_ = 1;
  std::array<int, 2> cchset_ = {0, 0};  // AT+CCHSET: report send results, receive mode (0 pushed, 1 cached)
};

}  // namespace agent
