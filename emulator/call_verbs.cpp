// The control API's network side of voice calls and USSD (SPEC §7): `call incoming FROM`, `call answer|reject|
// busy|hangup`, `ussd reply|menu CODE TEXT`, and how `state` shows them.
#include <regex>

#include "agent/voice_call.hpp"
#include "emulator/emulator_world.hpp"

namespace sim7600_emu {

using sim7600_control::json;
using sim7600_control::verb_outcome;

namespace {

const char* phase_name(agent::call_phase phase) {
  switch (phase) {
    case agent::call_phase::idle: return "idle";
    case agent::call_phase::alerting: return "alerting";
    case agent::call_phase::incoming: return "incoming";
    case agent::call_phase::active: return "active";
  }
  return "unknown";
}

// What each far-end word does, and the phase the call must be in for it.
struct far_end_action {
  const char* word;
  agent::call_event event;
  const char* refusal;
};
constexpr far_end_action far_end_actions[] = {
    {"answer", agent::call_event::far_end_answers, "no outgoing call is alerting"},
    {"reject", agent::call_event::far_end_rejects, "no outgoing call is alerting"},
    {"busy", agent::call_event::far_end_busy, "no outgoing call is alerting"},
    {"hangup", agent::call_event::far_end_hangs_up, "no call to hang up"},
};

}  // namespace

verb_outcome emulator_world::call(const std::string& action, const std::optional<std::string>& from) {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  if (action == "incoming") {
    static const std::regex number(R"(\+?[0-9*#]{1,20})");
    if (!std::regex_match(*from, number)) return verb_outcome::refused("FROM is a phone number (+ and up to 20 digits)", 400);
    if (!module->world().voice_service()) return verb_outcome::refused("the module has no network service (SIM, registration)");
    if (module->call().phase() != agent::call_phase::idle) {
      return verb_outcome::refused("a call is already in progress (call waiting is not emulated)");
    }
    if (!module->call_event_from_network(agent::call_event::network_offers, *from)) {
      return verb_outcome::refused("the module is not ready for calls");
    }
    return verb_outcome::done();
  }
  for (const auto& far_end : far_end_actions) {
    if (action != far_end.word) continue;
    if (!module->call_event_from_network(far_end.event)) return verb_outcome::refused(far_end.refusal);
    return verb_outcome::done();
  }
  return verb_outcome::refused("usage: call incoming FROM | call answer | call reject | call busy | call hangup", 400);
}

verb_outcome emulator_world::ussd(const std::string& action, const std::string& code, const std::string& text) {
  if (text.size() > 182) return verb_outcome::refused("TEXT is at most 182 characters (one USSD string)", 400);
  return world_event([&](agent::radio_world& world) {
    if (action == "menu") {
      world.ussd().set_menu(code, text);
    } else {
      world.ussd().set_reply(code, text);
    }
    return agent::world_effects{};
  });
}

json emulator_world::call_state(const agent::voice_call& call) {
  json state = {{"phase", phase_name(call.phase())}};
  if (call.phase() != agent::call_phase::idle) {
    state["direction"] = call.outgoing() ? "outgoing" : "incoming";
    state["number"] = call.number();
  }
  state["tones"] = call.tones();
  return state;
}

json emulator_world::ussd_state(const agent::ussd_network& network) {
  json answers = json::object();
  for (const auto& [code, entry] : network.entries()) {
    answers[code] = {{"kind", entry.menu ? "menu" : "reply"}, {"text", entry.text}};
  }
  return {{"session", network.session() ? json(*network.session()) : json()}, {"answers", answers}};
}

}  // namespace sim7600_emu
