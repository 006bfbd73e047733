// The control API's GNSS verbs (SPEC §7: `gnss fix|route|lost`) on the module's sky, and the GNSS part of `state`.
// The receiver reads the sky each epoch, so a change shows on the AT and NMEA ports at the next second.
#include <cmath>
#include <fstream>
#include <sstream>

#include "agent/gnss_service.hpp"
#include "agent/gpx_route.hpp"
#include "emulator/emulator_world.hpp"

namespace sim7600_emu {

using sim7600_control::json;
using sim7600_control::verb_outcome;

namespace {

constexpr std::uintmax_t max_gpx_bytes = 16 * 1024 * 1024;  // far beyond max_route_points of any real track

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

const char* phase_name(agent::gnss_receiver::phase phase) {
  switch (phase) {
    case agent::gnss_receiver::phase::off: return "off";
    case agent::gnss_receiver::phase::searching: return "searching";
    case agent::gnss_receiver::phase::fixed: return "fixed";
  }
  return "off";
}

const char* start_name(std::optional<agent::gnss_start> start) {
  if (!start) return "";
  switch (*start) {
    case agent::gnss_start::cold: return "cold";
    case agent::gnss_start::warm: return "warm";
    case agent::gnss_start::hot: return "hot";
  }
  return "";
}

// The file's text, or the reason it cannot be read (too big, missing, unreadable).
common::outcome<std::string> read_gpx_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return common::failure{"cannot read " + path + ": " + ec.message()};
  if (size > max_gpx_bytes) return common::failure{path + " is larger than 16 MiB"};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return common::failure{"cannot read " + path};
  return text.str();
}

}  // namespace

verb_outcome emulator_world::gnss_fix(double latitude, double longitude, std::optional<double> altitude) {
  const agent::geo_position where{latitude, longitude, altitude.value_or(0.0)};
  return world_event([where](agent::radio_world& world) {
    world.sky().stand_at(where);
    return agent::world_effects{};
  });
}

verb_outcome emulator_world::gnss_route(const std::string& gpx_file) {
  if (hooks_.module() == nullptr) return powered_off();
  const auto text = read_gpx_file(gpx_file);
  if (!text) return verb_outcome::refused(text.error().reason, 400);
  auto route = agent::parse_gpx_route(text.value());
  if (!route) return verb_outcome::refused(gpx_file + ": " + route.error().reason, 400);
  const double now = static_cast<double>(hooks_.clock->unix_seconds());
  const std::size_t points = route.value().size();
  auto outcome = world_event([&route, now](agent::radio_world& world) {
    world.sky().follow(std::move(route).value(), now);
    return agent::world_effects{};
  });
  if (outcome.ok()) outcome.body = {{"points", points}};
  return outcome;
}

verb_outcome emulator_world::gnss_lost() {
  agent::module_core* module = hooks_.module();
  if (module != nullptr && !module->world().sky().satellites_visible()) {
    return verb_outcome::refused("the sky already has no satellites");
  }
  return world_event([](agent::radio_world& world) {
    world.sky().lose_satellites();
    return agent::world_effects{};
  });
}

json emulator_world::gnss_state(const agent::module_core& module) const {
  const agent::gnss_sky& sky = module.world().sky();
  const double now = static_cast<double>(hooks_.clock ? hooks_.clock->unix_seconds() : 0);
  const agent::antenna_motion motion = sky.motion_at(now);
  const agent::gnss_receiver& receiver = module.gnss().receiver();
  json session = {{"phase", phase_name(receiver.current_phase())}, {"start", start_name(receiver.started_as())}};
  if (receiver.current_phase() == agent::gnss_receiver::phase::searching) session["fix_in_s"] = receiver.seconds_to_fix();
  return {{"sky", sky.describe(now)},
          {"antenna",
           {{"lat", rounded(motion.where.latitude, 7)},
            {"lon", rounded(motion.where.longitude, 7)},
            {"alt_m", rounded(motion.where.altitude, 1)}}},
          {"speed_mps", rounded(motion.speed_mps, 2)},
          {"course_deg", rounded(motion.course_deg, 1)},
          {"session", session}};
}

}  // namespace sim7600_emu
