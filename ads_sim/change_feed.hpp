#pragma once
// change_feed: how "device K's queue changed" reaches the ANS notifier of the replica the device registered with.
// One ads-sim on SQLite tells its own notifier directly (server.cpp). Replicas sharing a PostgreSQL database
// publish the key with NOTIFY on one channel, and every replica LISTENs to it and tells its notifier, which sends
// an ANS event only to devices registered with it (SPEC §10: a change made through one replica reaches devices
// connected to another).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"

namespace ads_sim {

// The channel every replica LISTENs to; the payload is the device key in decimal.
inline constexpr std::string_view change_channel = "ads_sim_device_changed";
std::string change_payload(std::int64_t device_key);
std::optional<std::int64_t> parse_change_payload(std::string_view payload);  // nullopt: not a key

class pg_change_feed : public std::enable_shared_from_this<pg_change_feed> {
 public:
  using changed_callback = std::function<void(std::int64_t device_key)>;
  // Told after the listening connection came back from a loss: NOTIFYs sent meanwhile were missed, so the replica
  // wakes every device registered with it (a spurious wake costs a device one commands.json GET; a missed one
  // would leave a to-device property undelivered).
  using resumed_callback = std::function<void()>;

  // Connects both connections (LISTEN is in place when this returns). `log` gets lines without credentials.
  static common::outcome<std::shared_ptr<pg_change_feed>> open(boost::asio::io_context& io, const std::string& url,
                                                               changed_callback changed, resumed_callback resumed,
                                                               std::function<void(std::string_view)> log);
  ~pg_change_feed();

  // From any thread (the service's workers, after the change committed): NOTIFY on its own connection, so the
  // event loop never waits on the database. A failure is logged; the listeners' resumed callback covers it.
  void publish(std::int64_t device_key);
  void stop();

  struct connections;  // the PostgreSQL connections (pg_database.hpp), kept out of this header

 private:
  pg_change_feed(boost::asio::io_context& io, std::string url, changed_callback changed, resumed_callback resumed,
                 std::function<void(std::string_view)> log);
  common::outcome<common::done> listen_now();
  void wait_readable();
  void on_readable();
  void schedule_reconnect();

  std::string url_;
  changed_callback changed_;
  resumed_callback resumed_;
  std::function<void(std::string_view)> log_;
  std::unique_ptr<connections> db_;
};

}  // namespace ads_sim
