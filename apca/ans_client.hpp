#pragma once
// ans_client: the module's side of Ayla's notification service (ANS), sans-I/O, as ADA's notify.c behaves. With
// the server and cipher key GET /dsns gave, it registers (format 0, signed), keeps its registration alive at the
// period the service answered, and on an event (op 9) acknowledges it (op 10) and tells its listener, which then
// GETs commands.json. No answer to a registration or to keep-alives (after `tries` sends each) means ANS is lost:
// the listener is told (it polls meanwhile) and registration starts again after an exponential backoff.
// Packets that do not decrypt, carry another registration key or answer a sequence not asked are ignored.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "apca/ports.hpp"

namespace apca {

class ans_client final : udp_port::receiver {
 public:
  class listener {
   public:
    virtual ~listener() = default;
    virtual void on_ans_up() = 0;     // registered: events will come (anything queued before needs one GET)
    virtual void on_ans_down() = 0;   // lost or never reached: poll until on_ans_up()
    virtual void on_ans_event() = 0;  // something is queued for the device: GET commands.json now
  };

  struct tuning {
    std::chrono::milliseconds answer_wait{3000};  // for a registration or keep-alive answer before a resend
    int tries = 3;                                // sends of a registration or keep-alive before ANS is lost
    std::chrono::seconds keep_alive_margin{3};    // keep-alives go this long before the period ends (ADA)
    std::chrono::seconds default_keep_alive{30};  // until the service names a period
    std::chrono::milliseconds first_backoff{1000};
    std::chrono::milliseconds max_backoff{600000};  // ADA's NP_MAX_CHANGE_WAIT
  };

  struct server {
    std::string dsn;
    std::string host;
    std::uint16_t port = 0;
    std::string cipher_key;  // 16 bytes (GET /dsns's ans_cipher_key, decoded)
  };

  ans_client(udp_port& udp, timer_port& timers, clock_port& clock, listener& events, tuning settings);
  ans_client(udp_port& udp, timer_port& timers, clock_port& clock, listener& events)
      : ans_client(udp, timers, clock, events, tuning{}) {}
  ~ans_client() override;
  ans_client(const ans_client&) = delete;
  ans_client& operator=(const ans_client&) = delete;

  void start(server to);  // (re)register with this server
  void stop();            // quiet: no listener call
  // Where the next registration goes (after a loss GET /dsns may name another notifier); the backoff continues.
  void retarget(server to);
  bool up() const { return state_ == state::up; }
  bool was_up() const { return was_up_; }  // since the last start(): ADA's `polling=1` rather than 2
  std::chrono::seconds keep_alive_period() const { return keep_alive_; }

  void on_timer();  // timer_id::ans
  void on_datagram(std::string_view bytes) override;

 private:
  enum class state { idle, registering, up, waiting_retry };

  void send_registration();
  void send_keep_alive();
  void send_sealed(std::uint8_t op, std::uint16_t seq, std::string fields);
  void lost();
  std::uint32_t now_ms() const;

  udp_port& udp_;
  timer_port& timers_;
  clock_port& clock_;
  listener& events_;
  tuning tuning_;

  server server_;
  state state_ = state::idle;
  std::uint16_t sequence_ = 0;  // of our last registration or keep-alive; its answer must carry it
  std::uint32_t reg_key_ = 0;
  std::chrono::seconds keep_alive_{30};
  int tries_left_ = 0;
  bool awaiting_answer_ = false;  // up: a keep-alive is out and unanswered
  bool was_up_ = false;
  int failures_ = 0;  // consecutive losses, for the backoff
};

}  // namespace apca
