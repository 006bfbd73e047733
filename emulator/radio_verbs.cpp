// The control API's radio verbs (SPEC §7) on the module's radio_world: each checks what the world cannot take,
// then makes it happen; the host sees the URCs the world model returns.
#include <regex>

#include "agent/at_time.hpp"
#include "emulator/emulator_world.hpp"

namespace sim7600_emu {

using sim7600_control::json;
using sim7600_control::verb_outcome;

namespace {

std::optional<agent::reg_domain> domain_named(const std::string& name) {
  if (name == "cs") return agent::reg_domain::cs;
  if (name == "ps") return agent::reg_domain::gprs;
  if (name == "eps") return agent::reg_domain::eps;
  return std::nullopt;
}

const char* sim_status_name(agent::sim_card::status status) {
  switch (status) {
    case agent::sim_card::status::absent: return "absent";
    case agent::sim_card::status::pin_required: return "pin_required";
    case agent::sim_card::status::puk_required: return "puk_required";
    case agent::sim_card::status::blocked: return "blocked";
    case agent::sim_card::status::ready: return "ready";
  }
  return "unknown";
}

// "2026-11-30T09:40:00Z" (or without the Z: UTC either way) as Unix seconds.
std::optional<std::int64_t> parse_iso8601_utc(const std::string& text) {
  std::string_view rest;
  const auto utc = agent::parse_iso8601_seconds(text, rest);
  if (!utc || (!rest.empty() && rest != "Z")) return std::nullopt;
  return utc;
}

// "+08:00" / "-05:30" as quarters of an hour from UTC (the unit of +CTZV); nullopt past ±24 h or off the quarter.
std::optional<int> parse_zone_quarters(const std::string& text) {
  static const std::regex form(R"(([+-])(\d{2}):(\d{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return std::nullopt;
  const int minutes = std::stoi(m[2]) * 60 + std::stoi(m[3]);
  if (minutes % 15 != 0 || minutes > 24 * 60) return std::nullopt;
  return (m[1] == "-" ? -1 : 1) * minutes / 15;
}

// Decimal degrees ("31.230416", "-0.1276") within ±limit; nullopt for anything else.
std::optional<double> parse_degrees(const std::string& text, double limit) {
  static const std::regex form(R"([+-]?\d{1,3}(\.\d{1,9})?)");
  if (!std::regex_match(text, form)) return std::nullopt;
  const double degrees = std::stod(text);
  if (degrees < -limit || degrees > limit) return std::nullopt;
  return degrees;
}

}  // namespace

verb_outcome emulator_world::signal(int rssi, int ber) {
  if (rssi > 31 && rssi != agent::radio_world::signal_unknown) return verb_outcome::refused("RSSI is 0-31 or 99", 400);
  if (ber > 7 && ber != agent::radio_world::signal_unknown) return verb_outcome::refused("BER is 0-7 or 99", 400);
  return world_event([=](agent::radio_world& world) { return world.set_signal(rssi, ber); });
}

verb_outcome emulator_world::coverage(bool lost) {
  return world_event([lost](agent::radio_world& world) { return lost ? world.coverage_lost() : world.coverage_restored(); });
}

verb_outcome emulator_world::registration(const std::string& domain, int stat) {
  if (domain == "all") {
    return world_event([stat](agent::radio_world& world) {
      agent::world_effects all;
      for (agent::reg_domain each : agent::reg_domains) {
        auto effects = world.set_registration(each, stat);
        all.urcs.insert(all.urcs.end(), effects.urcs.begin(), effects.urcs.end());
      }
      return all;
    });
  }
  const auto named = domain_named(domain);
  if (!named) return verb_outcome::refused("DOMAIN is cs, ps, eps or all", 400);
  if (stat > 5) return verb_outcome::refused("STAT is 0-5 (27.007 <stat>)", 400);
  return world_event([named, stat](agent::radio_world& world) { return world.set_registration(*named, stat); });
}

verb_outcome emulator_world::network_operator(const std::string& name, const std::string& mccmnc,
                                              std::optional<int> act) {
  static const std::regex numeric(R"(\d{5,6})");
  if (!std::regex_match(mccmnc, numeric)) return verb_outcome::refused("MCCMNC is 5 or 6 digits", 400);
  agent::network_operator op{name, name.substr(0, 8), mccmnc, act.value_or(7)};
  return world_event([op](agent::radio_world& world) { return world.set_operator(op); });
}

verb_outcome emulator_world::sim(const std::string& action, const std::optional<std::string>& pin) {
  agent::module_core* module = hooks_.module();
  if (module != nullptr) {
    const bool present = module->world().sim().state() != agent::sim_card::status::absent;
    if (action == "remove" && !present) return verb_outcome::refused("no SIM in the holder");
    if (action == "insert" && present) return verb_outcome::refused("a SIM is already in the holder");
  }
  if (action == "pin") {
    static const std::regex digits(R"(\d{4,8})");
    if (!std::regex_match(*pin, digits)) return verb_outcome::refused("PIN is 4 to 8 digits", 400);
    return world_event([pin = *pin](agent::radio_world& world) { return world.sim_lock(pin); });
  }
  return world_event(
      [remove = action == "remove"](agent::radio_world& world) { return remove ? world.sim_removed() : world.sim_inserted(); });
}

verb_outcome emulator_world::clock_skew(long seconds) {
  return world_event([seconds](agent::radio_world& world) { return world.clock_skew(seconds); });
}

verb_outcome emulator_world::network_time(const std::string& iso8601, const std::optional<std::string>& zone) {
  const auto utc = parse_iso8601_utc(iso8601);
  if (!utc) return verb_outcome::refused("time is YYYY-MM-DDThh:mm:ssZ (UTC)", 400);
  const auto quarters = zone ? parse_zone_quarters(*zone) : std::optional<int>(0);
  if (!quarters) return verb_outcome::refused("TZ is +hh:mm or -hh:mm, a whole quarter of an hour", 400);
  const std::int64_t now = hooks_.clock->unix_seconds();
  return world_event([=](agent::radio_world& world) { return world.network_time(*utc, *quarters, 0, now); });
}

verb_outcome emulator_world::sms_deliver(const std::string& from, const std::string& text) {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  const agent::radio_world& world = module->world();
  if (!world.sim().ready()) return verb_outcome::refused("the SIM is not ready");
  if (!world.registered(agent::reg_domain::cs) && !world.registered(agent::reg_domain::eps)) {
    return verb_outcome::refused("the module is not registered");
  }
  if (text.size() > 160) return verb_outcome::refused("TEXT is at most 160 characters (one message)", 400);
  const std::int64_t now = hooks_.clock->unix_seconds();
  return world_event([&](agent::radio_world& world) { return world.sms_deliver(from, text, now); });
}

verb_outcome emulator_world::sms_sent() {
  agent::module_core* module = hooks_.module();
  if (module == nullptr) return powered_off();
  json sent = json::array();
  for (const auto& sms : module->world().sms_sent()) sent.push_back({{"to", sms.destination}, {"text", sms.text}});
  return verb_outcome::done({{"sent", sent}});
}

verb_outcome emulator_world::battery(int millivolts) {
  return world_event([millivolts](agent::radio_world& world) { return world.battery(millivolts); });
}

verb_outcome emulator_world::temperature(int celsius) {
  return world_event([celsius](agent::radio_world& world) { return world.temperature(celsius); });
}

verb_outcome emulator_world::cell_position(const std::string& latitude, const std::string& longitude,
                                           std::optional<int> accuracy_m) {
  const auto lat = parse_degrees(latitude, 90);
  if (!lat) return verb_outcome::refused("LAT is decimal degrees in -90..90", 400);
  const auto lon = parse_degrees(longitude, 180);
  if (!lon) return verb_outcome::refused("LON is decimal degrees in -180..180", 400);
  const int accuracy = accuracy_m.value_or(agent::cell_position{}.accuracy_m);
  return world_event([=](agent::radio_world& world) { return world.move_cell({*lat, *lon, accuracy}); });
}

json emulator_world::world_state(const agent::radio_world& world) const {
  json registration = json::object();
  const char* names[] = {"cs", "ps", "eps"};
  for (agent::reg_domain domain : agent::reg_domains) {
    registration[names[static_cast<int>(domain)]] = world.registration(domain);
  }
  json contexts = json::object();
  for (const auto& [cid, context] : world.packet().contexts()) {
    const char* call = context.state == agent::pdp_context::call::up         ? "up"
                       : context.state == agent::pdp_context::call::dialling ? "dialling"
                                                                             : "down";
    contexts[std::to_string(cid)] = {{"type", context.type}, {"apn", context.apn}, {"call", call}};
  }
  const auto& op = world.current_operator();
  const std::int64_t now = hooks_.clock ? hooks_.clock->unix_seconds() : 0;
  return {{"sim", sim_status_name(world.sim().state())},
          {"radio", static_cast<int>(world.radio())},
          {"coverage", world.coverage()},
          {"registration", registration},
          {"operator", {{"name", op.long_name}, {"mccmnc", op.numeric}, {"act", op.act}}},
          {"signal", {{"rssi", world.rssi()}, {"ber", world.ber()}}},
          {"attached", world.attached()},
          {"contexts", contexts},
          {"clock", agent::at_time_text(world.clock_now(now), world.time_zone())},
          {"battery_mv", world.battery_millivolts()},
          {"temperature_c", world.temperature_celsius()},
          {"cell",
           {{"latitude", world.serving_cell_position().latitude},
            {"longitude", world.serving_cell_position().longitude},
            {"accuracy_m", world.serving_cell_position().accuracy_m}}},
          {"sms_sent", world.sms_sent().size()},
          {"ussd", ussd_state(world.ussd())}};
}

}  // namespace sim7600_emu
