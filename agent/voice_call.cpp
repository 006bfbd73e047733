#include "agent/voice_call.hpp"

#include <algorithm>
#include <cstdio>

namespace agent {
namespace {

constexpr int stat_disconnected = 6;  // +CLCC <stat> of a call that just ended (SIMCom's addition to 27.007)

call_effects refused() { return {.accepted = false}; }

// "000107": a call's duration as VOICE CALL: END prints it (hours, minutes, seconds).
std::string duration_text(std::int64_t seconds) {
  seconds = std::max<std::int64_t>(seconds, 0);
  char text[64];
  std::snprintf(text, sizeof text, "%02lld%02lld%02lld", static_cast<long long>(std::min<std::int64_t>(seconds / 3600, 99)),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return text;
}

}  // namespace

int number_type(const std::string& number) { return !number.empty() && number[0] == '+' ? 145 : 129; }

call_effects voice_call::on(call_event event, const call_input& input) {
  switch (phase_) {
    case call_phase::idle:
      if (event == call_event::host_dials) return dial(input);
      if (event == call_event::network_offers) return offer(input);
      return refused();
    case call_phase::alerting:
      switch (event) {
        case call_event::far_end_answers: return connect(input.now);
        case call_event::far_end_busy: return end(input.now, "BUSY");
        case call_event::far_end_rejects:
        case call_event::far_end_hangs_up:
        case call_event::network_lost: return end(input.now, "NO CARRIER");
        case call_event::host_hangs_up: return end(input.now, nullptr);
        case call_event::timer_fired: return end(input.now, "NO ANSWER");
        default: return refused();
      }
    case call_phase::incoming:
      switch (event) {
        case call_event::host_answers: return connect(input.now);
        case call_event::host_hangs_up: return end(input.now, nullptr);
        case call_event::far_end_hangs_up:
        case call_event::network_lost: return end(input.now, "NO CARRIER");
        case call_event::timer_fired:
          // The network stops offering a call nobody answers; the caller hears it as unanswered.
          return rings_ < rings_before_giving_up ? ring_again() : end(input.now, "NO CARRIER");
        default: return refused();
      }
    case call_phase::active:
      switch (event) {
        case call_event::host_hangs_up: return end(input.now, nullptr);
        case call_event::far_end_hangs_up:
        case call_event::network_lost: return end(input.now, "NO CARRIER");
        default: return refused();
      }
  }
  return refused();
}

call_effects voice_call::dial(const call_input& input) {
  phase_ = call_phase::alerting;
  outgoing_ = true;
  number_ = input.number;
  last_dialled_ = input.number;
  tones_.clear();
  call_effects effects{.timer = call_timer::start, .timer_after = no_answer_time};
  report(effects, 2);  // dialling, then at once alerting: the network reaches the far end with no delay here
  report(effects, static_cast<int>(call_phase::alerting));
  return effects;
}

call_effects voice_call::offer(const call_input& input) {
  phase_ = call_phase::incoming;
  outgoing_ = false;
  number_ = input.number;
  tones_.clear();
  rings_ = 1;
  call_effects effects{.timer = call_timer::start, .timer_after = ring_interval};
  report(effects, static_cast<int>(call_phase::incoming));
  ring(effects);
  return effects;
}

call_effects voice_call::ring_again() {
  ++rings_;
  call_effects effects{.timer = call_timer::start, .timer_after = ring_interval};
  ring(effects);
  return effects;
}

call_effects voice_call::connect(std::int64_t now) {
  phase_ = call_phase::active;
  connected_at_ = now;
  call_effects effects{.urcs = {"VOICE CALL: BEGIN"}, .timer = call_timer::stop};
  report(effects, static_cast<int>(call_phase::active));
  return effects;
}

call_effects voice_call::end(std::int64_t now, const char* result) {
  call_effects effects{.timer = call_timer::stop};
  if (phase_ == call_phase::active) effects.urcs.push_back("VOICE CALL: END: " + duration_text(now - connected_at_));
  report(effects, stat_disconnected);
  if (result != nullptr) effects.urcs.emplace_back(result);
  phase_ = call_phase::idle;
  return effects;
}

void voice_call::ring(call_effects& effects) const {
  effects.urcs.emplace_back(reports_.crc ? "+CRING: VOICE" : "RING");
  if (reports_.clip) {
    // 27.007: <number>,<type>[,<subaddr>,<satype>[,<alpha>[,<CLI validity>]]]; 0: the number was given.
    effects.urcs.push_back("+CLIP: \"" + number_ + "\"," + std::to_string(number_type(number_)) + ",\"\",0,\"\",0");
  }
}

std::string voice_call::clcc_line(int stat) const {
  // <id>,<dir>,<stat>,<mode>,<mpty>,<number>,<type>: call 1, voice (mode 0), never multiparty.
  return "+CLCC: 1," + std::string(outgoing_ ? "0," : "1,") + std::to_string(stat) + ",0,0,\"" + number_ + "\"," +
         std::to_string(number_type(number_));
}

void voice_call::report(call_effects& effects, int stat) const {
  if (reports_.clcc) effects.urcs.push_back(clcc_line(stat));
}

std::vector<std::string> voice_call::list() const {
  if (phase_ == call_phase::idle) return {};
  return {clcc_line(static_cast<int>(phase_))};
}

bool voice_call::send_tones(const std::string& tones) {
  if (phase_ != call_phase::active) return false;
  tones_ += tones;
  return true;
}

void voice_call::reset() { *this = voice_call{}; }

}  // namespace agent
