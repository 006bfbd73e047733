// The voice call's state machine on its own: every event in every phase (the ones that do not fit change nothing),
// what the host sees at each step, and the timer a call asks for only while it rings or alerts.
#include <catch2/catch.hpp>

#include <map>
#include <utility>

#include "agent/voice_call.hpp"

using agent::call_effects;
using agent::call_event;
using agent::call_phase;
using agent::call_timer;
using agent::voice_call;

namespace {

constexpr call_event all_events[] = {call_event::host_dials,      call_event::host_answers,    call_event::host_hangs_up,
                                     call_event::network_offers,  call_event::far_end_answers, call_event::far_end_rejects,
                                     call_event::far_end_busy,    call_event::far_end_hangs_up, call_event::network_lost,
                                     call_event::timer_fired};

// A call brought to `phase` the way a host and a network would.
voice_call call_in(call_phase phase) {
  voice_call call;
  if (phase == call_phase::alerting || phase == call_phase::active) call.on(call_event::host_dials, {"10086", 100});
  if (phase == call_phase::active) call.on(call_event::far_end_answers, {.now = 100});
  if (phase == call_phase::incoming) call.on(call_event::network_offers, {"+8613800000000", 100});
  REQUIRE(call.phase() == phase);
  return call;
}

// The phase each event leads to from each phase; a pair not listed is refused.
const std::map<std::pair<call_phase, call_event>, call_phase> transitions = {
    {{call_phase::idle, call_event::host_dials}, call_phase::alerting},
    {{call_phase::idle, call_event::network_offers}, call_phase::incoming},
    {{call_phase::alerting, call_event::far_end_answers}, call_phase::active},
    {{call_phase::alerting, call_event::far_end_rejects}, call_phase::idle},
    {{call_phase::alerting, call_event::far_end_busy}, call_phase::idle},
    {{call_phase::alerting, call_event::far_end_hangs_up}, call_phase::idle},
    {{call_phase::alerting, call_event::host_hangs_up}, call_phase::idle},
    {{call_phase::alerting, call_event::network_lost}, call_phase::idle},
    {{call_phase::alerting, call_event::timer_fired}, call_phase::idle},
    {{call_phase::incoming, call_event::host_answers}, call_phase::active},
    {{call_phase::incoming, call_event::host_hangs_up}, call_phase::idle},
    {{call_phase::incoming, call_event::far_end_hangs_up}, call_phase::idle},
    {{call_phase::incoming, call_event::network_lost}, call_phase::idle},
    {{call_phase::incoming, call_event::timer_fired}, call_phase::incoming},  // the next RING
    {{call_phase::active, call_event::host_hangs_up}, call_phase::idle},
    {{call_phase::active, call_event::far_end_hangs_up}, call_phase::idle},
    {{call_phase::active, call_event::network_lost}, call_phase::idle},
};

}  // namespace

TEST_CASE("voice call: every event in every phase, the ones that do not fit change nothing") {
  for (call_phase phase : {call_phase::idle, call_phase::alerting, call_phase::incoming, call_phase::active}) {
    for (call_event event : all_events) {
      INFO("phase " << static_cast<int>(phase) << ", event " << static_cast<int>(event));
      voice_call call = call_in(phase);
      const call_effects effects = call.on(event, {"+441234", 200});
      auto it = transitions.find({phase, event});
      if (it == transitions.end()) {
        CHECK_FALSE(effects.accepted);
        CHECK(effects.urcs.empty());
        CHECK(effects.timer == call_timer::keep);
        CHECK(call.phase() == phase);
      } else {
        CHECK(effects.accepted);
        CHECK(call.phase() == it->second);
        // A timer runs exactly while the call rings or alerts.
        const bool timed = it->second == call_phase::alerting || it->second == call_phase::incoming;
        CHECK(effects.timer == (timed ? call_timer::start : call_timer::stop));
      }
    }
  }
}

TEST_CASE("voice call: an outgoing call answered, then hung up by the far end, with +CLCC reports") {
  voice_call call;
  call.reports().clcc = 1;
  call_effects dialled = call.on(call_event::host_dials, {"10086", 1000});
  CHECK(dialled.urcs == std::vector<std::string>{"+CLCC: 1,0,2,0,0,\"10086\",129", "+CLCC: 1,0,3,0,0,\"10086\",129"});
  CHECK(dialled.timer_after == voice_call::no_answer_time);
  CHECK(call.list() == std::vector<std::string>{"+CLCC: 1,0,3,0,0,\"10086\",129"});
  CHECK(call.on(call_event::far_end_answers, {.now = 1005}).urcs ==
        std::vector<std::string>{"VOICE CALL: BEGIN", "+CLCC: 1,0,0,0,0,\"10086\",129"});
  CHECK(call.send_tones("12#"));
  CHECK(call.on(call_event::far_end_hangs_up, {.now = 1005 + 3723}).urcs ==
        std::vector<std::string>{"VOICE CALL: END: 010203", "+CLCC: 1,0,6,0,0,\"10086\",129", "NO CARRIER"});
  CHECK(call.list().empty());
  CHECK(call.tones() == "12#");
  CHECK_FALSE(call.send_tones("1"));  // no call any more
  CHECK(call.last_dialled() == "10086");
}

TEST_CASE("voice call: busy, rejected, unanswered and host-cancelled outgoing calls") {
  voice_call call;
  call.on(call_event::host_dials, {"10086", 0});
  CHECK(call.on(call_event::far_end_busy).urcs == std::vector<std::string>{"BUSY"});
  call.on(call_event::host_dials, {"10086", 0});
  CHECK(call.on(call_event::far_end_rejects).urcs == std::vector<std::string>{"NO CARRIER"});
  call.on(call_event::host_dials, {"10086", 0});
  CHECK(call.on(call_event::timer_fired).urcs == std::vector<std::string>{"NO ANSWER"});
  call.on(call_event::host_dials, {"10086", 0});
  CHECK(call.on(call_event::host_hangs_up).urcs.empty());  // the host ended it: nothing to tell it
  CHECK(call.phase() == call_phase::idle);
}

TEST_CASE("voice call: an incoming call rings with +CLIP or +CRING per the host's settings, then the network gives up") {
  voice_call call;
  call.reports().clip = 1;
  call_effects offered = call.on(call_event::network_offers, {"+8613800000000", 0});
  CHECK(offered.urcs == std::vector<std::string>{"RING", "+CLIP: \"+8613800000000\",145,\"\",0,\"\",0"});
  CHECK(offered.timer_after == voice_call::ring_interval);
  call.reports().clip = 0;
  call.reports().crc = 1;
  for (int ring = 2; ring <= voice_call::rings_before_giving_up; ++ring) {
    call_effects again = call.on(call_event::timer_fired);
    CHECK(again.urcs == std::vector<std::string>{"+CRING: VOICE"});
    CHECK(again.timer == call_timer::start);
  }
  call_effects gave_up = call.on(call_event::timer_fired);
  CHECK(gave_up.urcs == std::vector<std::string>{"NO CARRIER"});
  CHECK(gave_up.timer == call_timer::stop);
  CHECK(call.phase() == call_phase::idle);
}

TEST_CASE("voice call: an incoming call answered by the host and ended by it, and a reset forgets everything") {
  voice_call call;
  call.reports().clcc = 1;
  CHECK(call.on(call_event::network_offers, {"5551234", 0}).urcs ==
        std::vector<std::string>{"+CLCC: 1,1,4,0,0,\"5551234\",129", "RING"});
  CHECK(call.on(call_event::host_answers, {.now = 10}).urcs ==
        std::vector<std::string>{"VOICE CALL: BEGIN", "+CLCC: 1,1,0,0,0,\"5551234\",129"});
  CHECK(call.on(call_event::host_hangs_up, {.now = 22}).urcs ==
        std::vector<std::string>{"VOICE CALL: END: 000012", "+CLCC: 1,1,6,0,0,\"5551234\",129"});
  call.on(call_event::network_offers, {"5551234", 30});
  call.reset();
  CHECK(call.phase() == call_phase::idle);
  CHECK(call.reports().clcc == 0);
}
