#pragma once
// mqtt_service: the SIM7600's MQTT(S) client (AT Command Manual, "AT Commands for MQTT(S)": AT+CMQTTSTART ...
// AT+CMQTTUNSUB, the +CMQTTRX* and +CMQTTCONNLOST URCs). Two clients, each over a stream of its own (TLS for
// server type 1, from the SSL context AT+CMQTTSSLCFG names); MQTT 3.1.1 packets are built and read by mqtt_packet.
// One operation at a time per client (connect, publish, subscribe, unsubscribe, disconnect), each with a deadline;
// a PINGREQ every keepalive interval while connected. Sans-I/O: bytes go through a stream_port, time through timers.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/cch_service.hpp"
#include "agent/command_table.hpp"
#include "agent/mqtt_packet.hpp"
#include "agent/stream_port.hpp"
#include "apca/ports.hpp"

namespace agent {

// The manual's MQTT <err> table (the codes this emulation reports).
enum class mqtt_error {
  none = 0,
  failed = 1,
  sock_connect = 3,
  network_open = 7,
  network_not_opened = 9,
  no_connection = 11,
  invalid_parameter = 12,
  busy = 14,
  timeout = 17,
  topic_empty = 18,
  client_used = 19,
  client_not_acquired = 20,
  client_not_released = 21,
  network_opened = 23,
  packet = 24,
  dns = 25,
  closed_by_server = 26,
  refused_protocol = 27,  // 27-31: CONNACK return codes 1-5
  handshake = 32,
  no_certificate = 33,
};

struct mqtt_ports {
  stream_service_ports streams;
  apca::timer_port& timers;
};

class mqtt_service final : public stream_events {
 public:
  // Stream ids of this service have bit 62 set (HTTP's have bit 63), so one router tells the services apart.
  static constexpr stream_id id_base = stream_id{1} << 62;
  static constexpr int client_count = 2;            // <client_index> 0-1
  static constexpr std::size_t max_client_id = 128;  // <clientID> 1-128
  static constexpr std::size_t max_server = 256;     // <server_addr> 9-256
  static constexpr std::size_t max_login = 256;      // <user_name>, <pass_word> 1-256
  static constexpr std::size_t max_topic = 1024;     // every topic <req_length> 1-1024
  static constexpr std::size_t max_payload = 10240;  // AT+CMQTTPAYLOAD <req_length> 1-10240
  static constexpr std::size_t max_will = 1024;      // AT+CMQTTWILLMSG <req_length> 1-1024
  static constexpr std::size_t max_filters = 32;     // AT+CMQTTSUBTOPIC / UNSUBTOPIC entries kept before a SUB
  // The largest packet taken from a server: a PUBLISH with the longest topic and payload the module itself handles.
  // A larger one breaks the connection (+CMQTTCONNLOST).
  static constexpr std::size_t max_inbound_packet = 2 + max_topic + 2 + max_payload;
  static constexpr std::size_t rx_chunk = 1024;  // one +CMQTTRXPAYLOAD block of a longer payload

  explicit mqtt_service(mqtt_ports ports) : ports_(std::move(ports)) {}

  void add_to(command_table& table);
  void data_call_changed(bool up);
  void power_cycle();  // every client dropped and released, nothing reported
  bool on_timer(apca::timer_id id);  // false: not one of this service's timers

  // ---- stream_events ----
  void on_opened(stream_id id, stream_error error) override;
  void on_sent(stream_id id, std::size_t bytes) override;
  void on_received(stream_id id, std::string_view bytes) override;
  void on_closed(stream_id id) override;
  std::size_t rx_room(stream_id id) const override;

 private:
  // What a client waits for the server to finish; one at a time.
  struct operation {
    enum class kind { none, connect, publish, subscribe, unsubscribe, disconnect };
    kind what = kind::none;
    std::uint16_t packet_id = 0;
    int qos = 0;  // publish
  };
  struct client {
    enum class phase { idle, opening, awaiting_connack, connected, closing };
    bool acquired = false;
    std::string id = {};
    int server_type = 0;  // 0 TCP, 1 SSL/TLS
    int ssl_context = 0;  // AT+CMQTTSSLCFG
    std::optional<mqtt::will_message> will = {};  // topic from AT+CMQTTWILLTOPIC, message from AT+CMQTTWILLMSG
    std::string topic = {};    // AT+CMQTTTOPIC
    std::string payload = {};  // AT+CMQTTPAYLOAD
    std::vector<std::pair<std::string, int>> subscribe_filters = {};  // AT+CMQTTSUBTOPIC
    std::vector<std::string> unsubscribe_filters = {};                // AT+CMQTTUNSUBTOPIC
    // the connection
    phase state = phase::idle;
    stream_id stream = 0;
    std::string server = {};  // as given: "tcp://host:port"
    int keepalive = 60;
    int clean_session = 0;
    std::optional<std::string> user = {};
    std::optional<std::string> password = {};
    mqtt::packet_reader reader{max_inbound_packet};
    operation pending = {};
    std::size_t unsent = 0;  // sends not yet written (a QoS 0 PUBLISH and a DISCONNECT end when written)
    bool ping_outstanding = false;
    std::uint16_t next_packet_id = 1;
  };

  client* find(stream_id id);
  const client* find(stream_id id) const;
  int index_of(const client& c) const { return static_cast<int>(&c - clients_.data()); }

  // ---- commands (mqtt_commands.cpp) ----
  command_result start();
  command_result stop();
  command_result acquire(const at_params& params);
  command_result release(const at_params& params);
  command_result read_acquired() const;
  command_result set_ssl_context(const at_params& params);
  command_result read_ssl_contexts() const;
  command_result will_topic(const at_params& params);
  command_result will_message(const at_params& params);
  command_result connect(const at_params& params);
  command_result read_connections() const;
  command_result disconnect(const at_params& params);
  command_result read_disconnected() const;
  command_result topic(const at_params& params);
  command_result payload(const at_params& params);
  command_result publish(const at_params& params);
  command_result subscribe_topic(const at_params& params);
  command_result subscribe(const at_params& params);
  command_result unsubscribe_topic(const at_params& params);
  command_result unsubscribe(const at_params& params);
  // The client a command names, or the "<name>: <index>,<err>" + ERROR answer when it is not acquired.
  std::optional<command_result> refuse_unacquired(const std::string& name, int index) const;
  // The same for a client that cannot start an operation now: not connected (11), or busy with one (14).
  std::optional<command_result> refuse_operation(const std::string& name, int index) const;
  static bool ready(const client& c) {
    return c.state == client::phase::connected && c.pending.what == operation::kind::none;
  }
  // Prompts for `length` bytes and hands them to `take` (the client at `index`, still acquired); ERROR when it
  // refuses them.
  command_result prompt(int index, std::size_t length, std::function<bool(client&, std::string)> take);

  // ---- the protocol ----
  void send(client& c, std::string bytes);
  void begin(client& c, operation op, std::chrono::milliseconds deadline);
  void finish(client& c, mqtt_error error);  // ends the pending operation with its URC
  void handle(client& c, const mqtt::packet& p);
  void deliver(client& c, const mqtt::packet& p);  // an inbound PUBLISH as the +CMQTTRX* URCs
  void drop_stream(client& c);                     // closes the stream, stops the timers; nothing reported
  void lose(client& c, int cause);                 // +CMQTTCONNLOST: <index>,<cause>
  std::uint16_t next_packet_id(client& c);
  void send_subscribe(client& c, std::vector<std::pair<std::string, int>> filters);
  void send_unsubscribe(client& c, std::vector<std::string> filters);
  void post(const std::string& name, const client& c, mqtt_error error);  // "<name>: <index>,<err>"

  mqtt_ports ports_;
  bool started_ = false;
  std::array<client, client_count> clients_{};
  stream_id next_id_ = id_base + 1;
};

}  // namespace agent
