#pragma once
// The ports through which the sans-I/O cores (apca, agent) reach time, the host and NV memory.
// The I/O layer implements them; unit tests implement them with fakes and fire timers by hand.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "config_store/nv_image.hpp"

namespace apca {

// Every timer a core can ask for. Arming a timer that is already armed replaces its deadline.
enum class timer_id {
  boot,              // agent: power-on / reboot delay before RDY
  data_call,         // agent: AT+CAPNET dial delay before +CAPNET: <cid>,1
  clock_sync,        // agent: AT+CHTTPUPDATE delay before +CHTTPUPDATE: 0
  voice_call,        // agent: the next RING of an incoming call, or the network giving up on an unanswered one
  gnss,              // agent: the GNSS receiver's one-second epoch, armed only while a session runs
  http_receive,      // agent: AT+HTTPACTION's wait for the server's answer (RECVTO), only while a request is out
  service_connect,   // apca: (re)connect attempt / backoff
  service_poll,      // apca: next poll of the device service
  disable_rewake,    // apca: AT+ADA="disable",<secs>
  ota,               // apca: OTA progress / retry
  ans,               // apca: the ANS client's next step (answer wait, keep-alive, re-register backoff)
  ntp,               // agent: AT+CNTP's answer wait, only while a query is in flight
  mqtt_keepalive_0,  // agent: MQTT client 0's next PINGREQ, armed only while it is connected
  mqtt_keepalive_1,  // agent: the same for client 1
  mqtt_answer_0,     // agent: MQTT client 0's wait for the server's answer (CONNACK, PUBACK, SUBACK...)
  mqtt_answer_1,     // agent: the same for client 1
};

class timer_port {
 public:
  virtual ~timer_port() = default;
  virtual void start_timer(timer_id id, std::chrono::milliseconds after) = 0;
  virtual void cancel_timer(timer_id id) = 0;
};

// Wall-clock time as the module's RTC sees it (unix seconds). Time is an input: fakes in tests.
class clock_port {
 public:
  virtual ~clock_port() = default;
  virtual std::int64_t unix_seconds() = 0;
};

// Unsolicited result codes for the host, one line each, without CR/LF ("+ADA: \"start\",\"done\"").
class urc_sink {
 public:
  virtual ~urc_sink() = default;
  virtual void urc(std::string line) = 0;
};

// A UDP path to one peer (the ANS notifier). Datagrams from any other address are dropped by the I/O layer;
// a name that does not resolve or a send that fails is silent: the core's answer wait covers both.
class udp_port {
 public:
  class receiver {
   public:
    virtual ~receiver() = default;
    virtual void on_datagram(std::string_view bytes) = 0;  // called later, never from inside send()
  };
  virtual ~udp_port() = default;
  virtual void set_receiver(receiver* to) = 0;  // nullptr: datagrams are dropped
  virtual void open(const std::string& host, std::uint16_t port) = 0;  // replaces any previous peer
  virtual void send(std::string datagram) = 0;
  virtual void close() = 0;
};

// NV memory. save() is asynchronous: `done(true)` once the image is durable (fsync'd), `done(false)` if the
// write failed (the previous image is still the stored one). Saves complete in the order they were asked.
class nv_port {
 public:
  virtual ~nv_port() = default;
  virtual void save(const config_store::nv_image& image, std::function<void(bool ok)> done) = 0;
};

}  // namespace apca
