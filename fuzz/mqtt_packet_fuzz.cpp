// The MQTT packet reader (what a broker sends the module): any bytes, cut anywhere, never crash it; the packets and
// the final state do not depend on where the stream was cut; a PUBLISH it reads re-encodes to bytes it reads back
// the same. Input: the broker's bytes; the first byte picks the cut (modulo the length).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "agent/mqtt_packet.hpp"
#include "fuzz/records.hpp"

namespace {

constexpr std::size_t max_packet = 2048;  // small, so the too-large path is reached too

bool same(const agent::mqtt::packet& a, const agent::mqtt::packet& b) {
  return a.type == b.type && a.packet_id == b.packet_id && a.session_present == b.session_present &&
         a.return_code == b.return_code && a.topic == b.topic && a.payload == b.payload && a.qos == b.qos &&
         a.retain == b.retain && a.dup == b.dup;
}

// Every packet `reader` has complete after `bytes`.
std::vector<agent::mqtt::packet> drain(agent::mqtt::packet_reader& reader) {
  std::vector<agent::mqtt::packet> packets;
  while (auto packet = reader.next()) packets.push_back(std::move(*packet));
  return packets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view stream = fuzz::as_text(data + 1, size - 1);
  const std::size_t cut = stream.empty() ? 0 : data[0] % (stream.size() + 1);

  agent::mqtt::packet_reader whole(max_packet);
  whole.feed(stream);
  const auto at_once = drain(whole);

  agent::mqtt::packet_reader split(max_packet);
  split.feed(stream.substr(0, cut));
  auto in_parts = drain(split);
  split.feed(stream.substr(cut));
  for (auto& packet : drain(split)) in_parts.push_back(std::move(packet));

  if (whole.state() != split.state() || at_once.size() != in_parts.size()) std::abort();
  for (std::size_t i = 0; i < at_once.size(); ++i) {
    if (!same(at_once[i], in_parts[i])) std::abort();
    const auto& packet = at_once[i];
    if (packet.type != agent::mqtt::packet_type::publish) continue;
    agent::mqtt::packet_reader again(max_packet);
    again.feed(agent::mqtt::encode_publish(packet.topic, packet.payload, packet.qos, packet.retain, packet.dup,
                                           packet.packet_id));
    const auto read_back = again.next();
    if (!read_back || !same(*read_back, packet)) std::abort();
  }
  return 0;
}
