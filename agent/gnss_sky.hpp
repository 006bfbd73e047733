#pragma once
// gnss_sky: what the GNSS antenna has above and under it — satellites or none, and where it is over time: standing
// at one position, or moving along a timed route (straight between its points at each leg's speed and course,
// standing at its end). Sans-I/O: the caller gives the time (Unix seconds, with fractions).
#include <optional>
#include <string>
#include <vector>

namespace agent {

struct geo_position {
  double latitude = 0;   // degrees, north positive
  double longitude = 0;  // degrees, east positive
  double altitude = 0;   // metres above mean sea level
};

// One point of a route, at the time the antenna passes it.
struct route_point {
  double time = 0;  // Unix seconds
  geo_position where;
};

// Where the antenna is at one moment and how it moves.
struct antenna_motion {
  geo_position where;
  double speed_mps = 0;   // over ground
  double course_deg = 0;  // true, 0-360; 0 while standing
};

class gnss_sky {
 public:
  // Until told otherwise the antenna stands, under open sky, where the SIMCom GNSS application note's example fix
  // is (3113.343286,N,12121.234064,E, 44.1 m: Shanghai).
  static constexpr geo_position default_position{31.2223881, 121.3539010667, 44.1};

  void stand_at(geo_position where);  // `gnss fix`: satellites back, standing there
  // `gnss route`: satellites back, the route played from `now` on (its first point's time becomes `now`). The
  // route has at least one point and increasing times (gpx_route checks both).
  void follow(std::vector<route_point> route, double now);
  void lose_satellites();  // `gnss lost`: the antenna still moves, but hears nothing

  bool satellites_visible() const { return visible_; }
  antenna_motion motion_at(double now) const;
  // "standing", "route" (still moving) or "route end" at `now`, "lost": for the control API's `state`.
  std::string describe(double now) const;

 private:
  bool visible_ = true;
  std::vector<route_point> route_{{0, default_position}};  // one point: standing there
};

// Great-circle distance in metres and initial bearing in degrees (0-360) from `from` to `to`.
double distance_m(const geo_position& from, const geo_position& to);
double bearing_deg(const geo_position& from, const geo_position& to);

}  // namespace agent
