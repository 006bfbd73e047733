#pragma once
// ans_core: ads-sim's notification service (ANS), sans-I/O. Devices register over UDP with their DSN (signed with
// the cipher key GET /dsns gave them), keep their mapping alive, and get an event packet when their command queue
// changes — the push that tells ADA and devd to GET commands.json. Packets: ads_client/ans_packet.hpp.
// Endpoints are opaque text ("ip:port") the I/O layer gives and uses.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ads_client/ans_packet.hpp"

namespace ads_sim {

struct ans_device {
  std::int64_t key = 0;
  std::string cipher_key;  // 16 bytes
};

struct datagram {
  std::string to;
  std::string bytes;
};

// The keep-alive period the service asks for in its registration answer, seconds.
inline constexpr std::uint16_t ans_keep_alive_secs = 30;

class ans_core {
 public:
  using device_lookup = std::function<std::optional<ans_device>(std::string_view dsn)>;
  // `random_bytes(n)`: n random bytes (IVs and registration keys).
  ans_core(device_lookup lookup, std::function<std::string(std::size_t)> random_bytes);

  // A packet that arrived from `from`: the answer to send back, if any (garbage and strangers get none).
  std::optional<datagram> receive(std::string_view packet, const std::string& from, std::uint32_t now_ms);
  // The event packets for a device whose queue changed (one per registration it holds; none if unregistered).
  std::vector<datagram> notify(std::int64_t device_key, std::uint32_t now_ms);
  // An event for every registration held: after this replica may have missed changes (its change feed was cut).
  std::vector<datagram> notify_all(std::uint32_t now_ms);
  bool registered(std::int64_t device_key) const;
  // Whom the last receive() heard from: a device that (still) holds a registration, or one that just left.
  struct heard {
    std::int64_t device_key = 0;
    bool registered = false;
    bool registration = false;  // it registered just now (not a keep-alive or an answer): worth a log line
  };
  std::optional<heard> take_heard() { return std::exchange(heard_, std::nullopt); }

 private:
  struct client {
    std::uint32_t reg_key = 0;
    std::int64_t device_key = 0;
    std::string cipher_key;
    std::string endpoint;
    std::uint16_t seq = 0;  // our own events' sequence
  };
  std::optional<datagram> on_registration(std::string_view packet, const std::string& from, std::uint32_t now_ms);
  std::string seal(const client& to, ads_client::ans::header head, std::string fields);

  device_lookup lookup_;
  std::function<std::string(std::size_t)> random_bytes_;
  std::map<std::uint32_t, client> clients_;  // by registration key
  std::optional<heard> heard_;
};

}  // namespace ads_sim
