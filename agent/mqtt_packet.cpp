#include "agent/mqtt_packet.hpp"

namespace agent::mqtt {
namespace {

void put_u16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value & 0xFF);
}

void put_string(std::string& out, std::string_view text) {
  put_u16(out, static_cast<std::uint16_t>(text.size()));
  out += text;
}

std::string with_header(std::uint8_t first_byte, const std::string& body) {
  std::string out(1, static_cast<char>(first_byte));
  out += encode_remaining_length(body.size());
  out += body;
  return out;
}

std::uint8_t type_bits(packet_type type) { return static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) << 4); }

// Reads big-endian fields from a packet's body; any read past the end marks the body short.
class body_cursor {
 public:
  explicit body_cursor(std::string_view body) : body_(body) {}
  std::uint16_t u16() {
    if (body_.size() - at_ < 2) return fail();
    const auto value = static_cast<std::uint16_t>((static_cast<std::uint8_t>(body_[at_]) << 8) |
                                                  static_cast<std::uint8_t>(body_[at_ + 1]));
    at_ += 2;
    return value;
  }
  std::uint8_t u8() {
    if (at_ >= body_.size()) return fail();
    return static_cast<std::uint8_t>(body_[at_++]);
  }
  std::string text() {
    const std::uint16_t length = u16();
    if (short_ || body_.size() - at_ < length) {
      fail();
      return {};
    }
    std::string value(body_.substr(at_, length));
    at_ += length;
    return value;
  }
  std::string rest() {
    std::string value(body_.substr(at_));
    at_ = body_.size();
    return value;
  }
  bool empty() const { return at_ >= body_.size(); }
  bool short_read() const { return short_; }

 private:
  std::uint16_t fail() {
    short_ = true;
    at_ = body_.size();
    return 0;
  }
  std::string_view body_;
  std::size_t at_ = 0;
  bool short_ = false;
};

}  // namespace

std::string encode_remaining_length(std::size_t length) {
  std::string out;
  do {
    std::uint8_t digit = length % 128;
    length /= 128;
    if (length > 0) digit |= 0x80;
    out += static_cast<char>(digit);
  } while (length > 0);
  return out;
}

std::string encode_connect(const connect_options& options) {
  std::string body;
  put_string(body, "MQTT");
  body += static_cast<char>(4);  // protocol level: 3.1.1
  std::uint8_t flags = options.clean_session ? 0x02 : 0x00;
  if (options.will) {
    flags |= 0x04 | static_cast<std::uint8_t>(options.will->qos << 3) | (options.will->retain ? 0x20 : 0x00);
  }
  if (options.password) flags |= 0x40;
  if (options.user) flags |= 0x80;
  body += static_cast<char>(flags);
  put_u16(body, options.keepalive_seconds);
  put_string(body, options.client_id);
  if (options.will) {
    put_string(body, options.will->topic);
    put_string(body, options.will->message);
  }
  if (options.user) put_string(body, *options.user);
  if (options.password) put_string(body, *options.password);
  return with_header(type_bits(packet_type::connect), body);
}

std::string encode_publish(std::string_view topic, std::string_view payload, int qos, bool retain, bool dup,
                           std::uint16_t packet_id) {
  std::string body;
  put_string(body, topic);
  if (qos > 0) put_u16(body, packet_id);
  body += payload;
  const auto flags = static_cast<std::uint8_t>((dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
  return with_header(type_bits(packet_type::publish) | flags, body);
}

std::string encode_subscribe(std::uint16_t packet_id, const std::vector<std::pair<std::string, int>>& filters) {
  std::string body;
  put_u16(body, packet_id);
  for (const auto& [filter, qos] : filters) {
    put_string(body, filter);
    body += static_cast<char>(qos);
  }
  return with_header(type_bits(packet_type::subscribe) | 0x02, body);
}

std::string encode_unsubscribe(std::uint16_t packet_id, const std::vector<std::string>& filters) {
  std::string body;
  put_u16(body, packet_id);
  for (const auto& filter : filters) put_string(body, filter);
  return with_header(type_bits(packet_type::unsubscribe) | 0x02, body);
}

std::string encode_ack(packet_type type, std::uint16_t packet_id) {
  std::string body;
  put_u16(body, packet_id);
  return with_header(type_bits(type) | (type == packet_type::pubrel ? 0x02 : 0x00), body);
}

std::string encode_pingreq() { return with_header(type_bits(packet_type::pingreq), {}); }
std::string encode_disconnect() { return with_header(type_bits(packet_type::disconnect), {}); }

// ---- reading ----

void packet_reader::feed(std::string_view bytes) {
  if (status_ == status::reading) buffer_.append(bytes);
}

void packet_reader::reset() {
  buffer_.clear();
  status_ = status::reading;
}

std::optional<packet> packet_reader::next() {
  if (status_ != status::reading || buffer_.size() < 2) return std::nullopt;
  std::size_t length = 0;
  std::size_t at = 1;
  for (unsigned shift = 0;; shift += 7, ++at) {
    if (at == 5) {  // a fifth length byte: no valid packet has one
      status_ = status::malformed;
      return std::nullopt;
    }
    if (at >= buffer_.size()) return std::nullopt;
    const auto digit = static_cast<std::uint8_t>(buffer_[at]);
    length += static_cast<std::size_t>(digit & 0x7F) << shift;
    if ((digit & 0x80) == 0) break;
  }
  ++at;
  if (length > max_packet_) {
    status_ = status::too_large;
    buffer_.clear();
    return std::nullopt;
  }
  if (buffer_.size() - at < length) return std::nullopt;
  const auto header = static_cast<std::uint8_t>(buffer_[0]);
  std::optional<packet> parsed = parse(header, std::string_view(buffer_).substr(at, length));
  buffer_.erase(0, at + length);
  if (!parsed) {
    status_ = status::malformed;
    buffer_.clear();
  }
  return parsed;
}

std::optional<packet> packet_reader::parse(std::uint8_t header, std::string_view body) {
  packet p;
  p.type = static_cast<packet_type>(header >> 4);
  const std::uint8_t flags = header & 0x0F;
  body_cursor cursor(body);
  switch (p.type) {
    case packet_type::connack:
      if (flags != 0 || body.size() != 2) return std::nullopt;
      p.session_present = (cursor.u8() & 0x01) != 0;
      p.return_code = cursor.u8();
      return p;
    case packet_type::publish:
      p.qos = (flags >> 1) & 0x03;
      if (p.qos == 3) return std::nullopt;
      p.retain = (flags & 0x01) != 0;
      p.dup = (flags & 0x08) != 0;
      p.topic = cursor.text();
      if (p.qos > 0) p.packet_id = cursor.u16();
      if (cursor.short_read()) return std::nullopt;
      p.payload = cursor.rest();
      return p;
    case packet_type::puback:
    case packet_type::pubrec:
    case packet_type::pubrel:
    case packet_type::pubcomp:
    case packet_type::unsuback:
      if (flags != (p.type == packet_type::pubrel ? 0x02 : 0x00) || body.size() != 2) return std::nullopt;
      p.packet_id = cursor.u16();
      return p;
    case packet_type::suback:
      if (flags != 0 || body.size() < 3) return std::nullopt;
      p.packet_id = cursor.u16();
      while (!cursor.empty()) p.granted.push_back(cursor.u8());
      return p;
    case packet_type::pingresp:
      if (flags != 0 || !body.empty()) return std::nullopt;
      return p;
    default:  // a packet only a client sends, or type 0 / 15
      return std::nullopt;
  }
}

}  // namespace agent::mqtt
