#include "ads_sim/ans_core.hpp"

namespace ads_sim {

namespace ans = ads_client::ans;

ans_core::ans_core(device_lookup lookup, std::function<std::string(std::size_t)> random_bytes)
    : lookup_(std::move(lookup)), random_bytes_(std::move(random_bytes)) {}

std::string ans_core::seal(const client& to, ans::header head, std::string fields) {
  return ans::encode_message({to.reg_key, head, std::move(fields)}, to.cipher_key, random_bytes_(16));
}

std::optional<datagram> ans_core::on_registration(std::string_view packet, const std::string& from,
                                                  std::uint32_t now_ms) {
  std::optional<ans_device> device;
  const auto reg = ans::decode_registration(packet, [&](std::string_view dsn) -> std::optional<std::string> {
    device = lookup_(dsn);
    if (!device) return std::nullopt;
    return device->cipher_key;
  });
  if (!reg || !device) return std::nullopt;
  // One registration per device: a new one (a reboot, a new address) replaces the old.
  std::erase_if(clients_, [&](const auto& entry) { return entry.second.device_key == device->key; });
  std::uint32_t reg_key = 0;
  while (reg_key == 0 || clients_.contains(reg_key)) {
    const std::string raw = random_bytes_(4);
    for (const char byte : raw) reg_key = (reg_key << 8) | static_cast<unsigned char>(byte);
  }
  client& added = clients_[reg_key] = client{reg_key, device->key, device->cipher_key, from, 0};
  heard_ = heard{device->key, true, true};
  return datagram{from, seal(added, {ans::op::reg_resp, reg->head.seq, now_ms},
                             ans::period_field(ans_keep_alive_secs) + ans::error_field(0))};
}

std::optional<datagram> ans_core::receive(std::string_view packet, const std::string& from, std::uint32_t now_ms) {
  if (!ans::peek_reg_key(packet)) return on_registration(packet, from, now_ms);
  const auto found = clients_.find(*ans::peek_reg_key(packet));
  if (found == clients_.end()) return std::nullopt;
  const auto msg = ans::decode_message(packet, found->second.cipher_key);
  if (!msg) return std::nullopt;
  found->second.endpoint = from;  // the device's NAT mapping may have moved
  heard_ = heard{found->second.device_key, msg->head.code != ans::op::unreg, false};
  switch (msg->head.code) {
    case ans::op::keep_alive:
      return datagram{from, seal(found->second, {ans::op::keep_alive_resp, msg->head.seq, now_ms}, ans::error_field(0))};
    case ans::op::unreg: {
      auto answer = datagram{from, seal(found->second, {ans::op::unreg_resp, msg->head.seq, now_ms}, ans::error_field(0))};
      clients_.erase(found);
      return answer;
    }
    default:  // notify_resp acknowledges our event; probes are not offered (PROTOCOL.md §5)
      return std::nullopt;
  }
}

std::vector<datagram> ans_core::notify(std::int64_t device_key, std::uint32_t now_ms) {
  std::vector<datagram> events;
  for (auto& [reg_key, c] : clients_)
    if (c.device_key == device_key)
      events.push_back({c.endpoint, seal(c, {ans::op::notify, ++c.seq, now_ms}, {})});
  return events;
}

std::vector<datagram> ans_core::notify_all(std::uint32_t now_ms) {
  std::vector<datagram> events;
  for (auto& [reg_key, c] : clients_) events.push_back({c.endpoint, seal(c, {ans::op::notify, ++c.seq, now_ms}, {})});
  return events;
}

bool ans_core::registered(std::int64_t device_key) const {
  for (const auto& [reg_key, c] : clients_)
    if (c.device_key == device_key) return true;
  return false;
}

}  // namespace ads_sim
