#include "agent/gnss_sky.hpp"

#include <cmath>
#include <numbers>

namespace agent {
namespace {

constexpr double earth_radius_m = 6'371'000.0;  // mean radius: metres-level accuracy over a route's legs is plenty

double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }
double degrees(double radians) { return radians * 180.0 / std::numbers::pi; }

}  // namespace

double distance_m(const geo_position& from, const geo_position& to) {
  const double lat1 = radians(from.latitude), lat2 = radians(to.latitude);
  const double dlat = lat2 - lat1, dlon = radians(to.longitude - from.longitude);
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

double bearing_deg(const geo_position& from, const geo_position& to) {
  const double lat1 = radians(from.latitude), lat2 = radians(to.latitude);
  const double dlon = radians(to.longitude - from.longitude);
  const double y = std::sin(dlon) * std::cos(lat2);
  const double x = std::cos(lat1) * std::sin(lat2) - std::sin(lat1) * std::cos(lat2) * std::cos(dlon);
  return std::fmod(degrees(std::atan2(y, x)) + 360.0, 360.0);
}

void gnss_sky::stand_at(geo_position where) {
  visible_ = true;
  route_ = {{0, where}};
}

void gnss_sky::follow(std::vector<route_point> route, double now) {
  visible_ = true;
  const double shift = now - route.front().time;
  for (auto& point : route) point.time += shift;
  route_ = std::move(route);
}

void gnss_sky::lose_satellites() { visible_ = false; }

antenna_motion gnss_sky::motion_at(double now) const {
  for (std::size_t i = 1; i < route_.size(); ++i) {
    const route_point& a = route_[i - 1];
    const route_point& b = route_[i];
    if (now >= b.time) continue;
    if (now < a.time) return {a.where};  // not started yet: standing at the start
    // Straight between the two points (their distance is small beside the earth), at the leg's one speed.
    const double f = (now - a.time) / (b.time - a.time);
    geo_position at{a.where.latitude + f * (b.where.latitude - a.where.latitude),
                    a.where.longitude + f * (b.where.longitude - a.where.longitude),
                    a.where.altitude + f * (b.where.altitude - a.where.altitude)};
    const double leg = distance_m(a.where, b.where);
    if (leg == 0) return {at};
    return {at, leg / (b.time - a.time), bearing_deg(a.where, b.where)};
  }
  return {route_.back().where};
}

std::string gnss_sky::describe(double now) const {
  if (!visible_) return "lost";
  if (route_.size() == 1) return "standing";
  return now < route_.back().time ? "route" : "route end";
}

}  // namespace agent
