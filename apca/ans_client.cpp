#include "apca/ans_client.hpp"

#include "ads_client/ans_packet.hpp"
#include "apca/backoff.hpp"
#include "common/random_bytes.hpp"

namespace apca {

namespace ans = ads_client::ans;

ans_client::ans_client(udp_port& udp, timer_port& timers, clock_port& clock, listener& events, tuning settings)
    : udp_(udp), timers_(timers), clock_(clock), events_(events), tuning_(settings),
      keep_alive_(settings.default_keep_alive) {
  udp_.set_receiver(this);
}

ans_client::~ans_client() { udp_.set_receiver(nullptr); }

std::uint32_t ans_client::now_ms() const { return static_cast<std::uint32_t>(clock_.unix_seconds() * 1000); }

void ans_client::start(server to) {
  server_ = std::move(to);
  failures_ = 0;
  was_up_ = false;
  udp_.open(server_.host, server_.port);
  state_ = state::registering;
  tries_left_ = tuning_.tries;
  send_registration();
}

void ans_client::stop() {
  if (state_ == state::idle) return;
  state_ = state::idle;
  timers_.cancel_timer(timer_id::ans);
  udp_.close();
}

void ans_client::retarget(server to) {
  if (state_ == state::idle) return;
  if (to.host != server_.host || to.port != server_.port) udp_.open(to.host, to.port);
  server_ = std::move(to);
}

void ans_client::send_registration() {
  --tries_left_;
  reg_key_ = 0;
  ++sequence_;
  udp_.send(ans::encode_registration({server_.dsn, {ans::op::reg, sequence_, now_ms()}, 0}, server_.cipher_key));
  timers_.start_timer(timer_id::ans, tuning_.answer_wait);
}

void ans_client::send_sealed(std::uint8_t op, std::uint16_t seq, std::string fields) {
  udp_.send(ans::encode_message({reg_key_, {static_cast<ans::op>(op), seq, now_ms()}, std::move(fields)},
                                server_.cipher_key, common::random_bytes(16)));
}

void ans_client::send_keep_alive() {
  --tries_left_;
  ++sequence_;
  awaiting_answer_ = true;
  send_sealed(static_cast<std::uint8_t>(ans::op::keep_alive), sequence_,
              ans::period_field(static_cast<std::uint16_t>(keep_alive_.count())));
  timers_.start_timer(timer_id::ans, tuning_.answer_wait);
}

// No answer after every try: ANS is unreachable from here. Poll meanwhile and register again later, waiting
// longer each time (ADA's np_change).
void ans_client::lost() {
  state_ = state::waiting_retry;
  awaiting_answer_ = false;
  ++failures_;
  timers_.start_timer(timer_id::ans, doubling_backoff(tuning_.first_backoff, tuning_.max_backoff, failures_));
  events_.on_ans_down();
}

void ans_client::on_timer() {
  switch (state_) {
    case state::idle: return;
    case state::registering:
      return tries_left_ > 0 ? send_registration() : lost();
    case state::up:
      if (!awaiting_answer_) tries_left_ = tuning_.tries;
      return tries_left_ > 0 ? send_keep_alive() : lost();
    case state::waiting_retry:
      state_ = state::registering;
      tries_left_ = tuning_.tries;
      return send_registration();
  }
}

void ans_client::on_datagram(std::string_view bytes) {
  if (state_ == state::idle || state_ == state::waiting_retry) return;
  const auto key = ans::peek_reg_key(bytes);
  if (!key || (reg_key_ != 0 && *key != reg_key_)) return;
  const auto msg = ans::decode_message(bytes, server_.cipher_key);
  if (!msg) return;
  switch (msg->head.code) {
    case ans::op::reg_resp: {
      if (state_ != state::registering || msg->head.seq != sequence_) return;
      const auto period = ans::read_u16(msg->fields, 0);
      const auto error = ans::read_u8(msg->fields, 2);
      if (!period || !error) return;
      if (*error != 0) return lost();
      if (std::chrono::seconds(*period) > tuning_.keep_alive_margin) keep_alive_ = std::chrono::seconds(*period);
      reg_key_ = *key;
      state_ = state::up;
      was_up_ = true;
      failures_ = 0;
      awaiting_answer_ = false;
      timers_.start_timer(timer_id::ans, keep_alive_ - tuning_.keep_alive_margin);
      return events_.on_ans_up();
    }
    case ans::op::keep_alive_resp: {
      if (state_ != state::up || !awaiting_answer_ || msg->head.seq != sequence_) return;
      const auto error = ans::read_u8(msg->fields, 0);
      if (!error) return;
      if (*error != 0) {  // the service forgot us (restarted): register again at once (ADA)
        state_ = state::registering;
        tries_left_ = tuning_.tries;
        return send_registration();
      }
      awaiting_answer_ = false;
      timers_.start_timer(timer_id::ans, keep_alive_ - tuning_.keep_alive_margin);
      return;
    }
    case ans::op::notify:
      if (state_ != state::up) return;
      send_sealed(static_cast<std::uint8_t>(ans::op::notify_resp), msg->head.seq, ans::error_field(0));
      return events_.on_ans_event();
    default:
      return;
  }
}

}  // namespace apca
