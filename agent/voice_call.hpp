#pragma once
// voice_call: the one voice call the emulated SIM7600 can have (no audio is carried; no waiting, held or
// conference calls) as a state machine with one transition function — dialled by the host (ATD), offered by the
// network (RING), answered, refused or ended by either side. Sans-I/O: each event returns what the host sees and
// what the call's timer must do; the timer runs only while a call rings (incoming) or alerts (outgoing).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace agent {

// Where the call stands; the numbers are 27.007's +CLCC <stat> (idle has none).
enum class call_phase { idle = -1, active = 0, alerting = 3, incoming = 4 };

enum class call_event {
  host_dials,        // ATD<number>;
  host_answers,      // ATA
  host_hangs_up,     // ATH (per AT+CVHU), AT+CHUP
  network_offers,    // an incoming call (the control API's `call incoming FROM`)
  far_end_answers,   // the called party picks up (`call answer`)
  far_end_rejects,   // the called party declines (`call reject`)
  far_end_busy,      // the called party is busy (`call busy`)
  far_end_hangs_up,  // the other party ends the call, or the caller gives up (`call hangup`)
  network_lost,      // coverage, registration or the SIM is gone: the call drops
  timer_fired,       // the next RING is due, or the network gives up on an unanswered call
};

// The reporting settings the host chose (power-on values; a reboot restores them).
struct call_reports {
  int clip = 0;  // AT+CLIP: +CLIP after each RING
  int crc = 0;   // AT+CRC: +CRING: VOICE instead of RING
  int clcc = 0;  // AT+CLCC=<n>: the call list as a URC at every change
  int cvhu = 0;  // AT+CVHU: 1 makes ATH leave a voice call alone
};

// What an event does to the call's timer.
enum class call_timer { keep, start, stop };

struct call_effects {
  bool accepted = true;           // false: the event does not fit the call's phase, nothing changed
  std::vector<std::string> urcs = {};  // what the host sees, in order, without CR/LF
  call_timer timer = call_timer::keep;
  std::chrono::milliseconds timer_after{0};  // with call_timer::start
};

struct call_input {
  std::string number = {};  // the dialled number (host_dials) or the caller's (network_offers)
  std::int64_t now = 0;   // Unix seconds: a call's duration is what VOICE CALL: END reports
};

class voice_call {
 public:
  // A real network repeats RING every few seconds and gives up on a call nobody answers after about a minute;
  // neither the manual nor 27.007 fixes these times.
  static constexpr std::chrono::milliseconds ring_interval{3000};
  static constexpr int rings_before_giving_up = 20;
  static constexpr std::chrono::milliseconds no_answer_time{60000};

  call_effects on(call_event event, const call_input& input = {});

  call_phase phase() const { return phase_; }
  bool outgoing() const { return outgoing_; }
  const std::string& number() const { return number_; }
  // The AT+CLCC lines: none while idle.
  std::vector<std::string> list() const;
  // The DTMF tones the host sent (AT+VTS) during the current or last call, for the control API's `state`.
  const std::string& tones() const { return tones_; }
  bool send_tones(const std::string& tones);  // false unless a call is active
  // The last number the host dialled (ATDL dials it again); empty before the first.
  const std::string& last_dialled() const { return last_dialled_; }
  call_reports& reports() { return reports_; }
  const call_reports& reports() const { return reports_; }
  // The module rebooted: the call is gone without a word, the reporting settings are back to power-on values.
  void reset();

 private:
  call_effects dial(const call_input& input);
  call_effects offer(const call_input& input);
  call_effects connect(std::int64_t now);
  call_effects ring_again();
  // Ends the call: VOICE CALL: END if it was active, the +CLCC disconnect report, then `result` (NO CARRIER,
  // BUSY, NO ANSWER) unless the host ended it itself.
  call_effects end(std::int64_t now, const char* result);
  void ring(call_effects& effects) const;
  // The +CLCC line of the call in `phase` (6: disconnected).
  std::string clcc_line(int stat) const;
  void report(call_effects& effects, int stat) const;

  call_phase phase_ = call_phase::idle;
  bool outgoing_ = false;
  std::string number_;
  std::int64_t connected_at_ = 0;
  int rings_ = 0;
  std::string tones_;
  std::string last_dialled_;
  call_reports reports_;
};

// 27.007 <type> of a number: 145 international (a leading '+'), 129 otherwise.
int number_type(const std::string& number);

}  // namespace agent
