#pragma once
// mqtt_packet: MQTT 3.1.1 (OASIS standard, protocol level 4) packets as the SIM7600's MQTT client sends and reads
// them. Encoders build whole packets; packet_reader takes a byte stream cut anywhere and gives back whole packets,
// with a bound on a packet's size so a broker cannot make the module hold more than it would. Sans-I/O.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agent::mqtt {

enum class packet_type : std::uint8_t {
  connect = 1, connack, publish, puback, pubrec, pubrel, pubcomp,
  subscribe, suback, unsubscribe, unsuback, pingreq, pingresp, disconnect,
};

struct will_message {
  std::string topic = {};
  std::string message = {};
  int qos = 0;
  bool retain = false;  // the manual's AT+CMQTTWILLMSG has no retain flag: always 0
};

struct connect_options {
  std::string client_id = {};
  std::uint16_t keepalive_seconds = 60;
  bool clean_session = true;
  std::optional<std::string> user = {};
  std::optional<std::string> password = {};
  std::optional<will_message> will = {};
};

std::string encode_connect(const connect_options& options);
// `packet_id` is ignored (and not written) at QoS 0.
std::string encode_publish(std::string_view topic, std::string_view payload, int qos, bool retain, bool dup,
                           std::uint16_t packet_id);
std::string encode_subscribe(std::uint16_t packet_id, const std::vector<std::pair<std::string, int>>& filters);
std::string encode_unsubscribe(std::uint16_t packet_id, const std::vector<std::string>& filters);
// PUBACK, PUBREC, PUBREL (its reserved flags 0010) or PUBCOMP for `packet_id`.
std::string encode_ack(packet_type type, std::uint16_t packet_id);
std::string encode_pingreq();
std::string encode_disconnect();

// The remaining-length field: 1 to 4 bytes, 7 bits each, low first.
std::string encode_remaining_length(std::size_t length);
inline constexpr std::size_t max_remaining_length = 268435455;  // 4 bytes of 7 bits

// One packet from the server (CONNACK, SUBACK, UNSUBACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, PINGRESP).
struct packet {
  packet_type type = packet_type::pingresp;
  std::uint16_t packet_id = 0;
  // CONNACK
  bool session_present = false;
  int return_code = 0;
  // SUBACK: one code per filter (0-2 the QoS granted, 0x80 refused)
  std::vector<std::uint8_t> granted;
  // PUBLISH
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retain = false;
  bool dup = false;
};

class packet_reader {
 public:
  enum class status { reading, malformed, too_large };

  // A packet whose remaining length is above `max_packet` is refused before its body is kept.
  explicit packet_reader(std::size_t max_packet) : max_packet_(max_packet) {}
  void feed(std::string_view bytes);
  // The next whole packet; nullopt while none is complete or once the stream is broken (status() says which).
  std::optional<packet> next();
  status state() const { return status_; }
  void reset();

 private:
  std::optional<packet> parse(std::uint8_t header, std::string_view body);

  std::size_t max_packet_;
  std::string buffer_;
  status status_ = status::reading;
};

}  // namespace agent::mqtt
