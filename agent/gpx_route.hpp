#pragma once
// gpx_route: a GPX 1.1 file's track points (<trkpt lat lon> with <ele> and <time>) as a gnss_sky route. Pure: the
// caller reads the file. Only what a route needs is read; anything else in the file is skipped.
#include <cstddef>
#include <string_view>
#include <vector>

#include "agent/gnss_sky.hpp"
#include "common/result.hpp"

namespace agent {

inline constexpr std::size_t max_route_points = 100'000;

// The track points in file order (every track and segment, one after the other). The reason names the line of the
// first fault: not a GPX document, no track point, a lat/lon missing or out of range, an <ele> that is no number, a
// point without <time> or with a time that is not ISO 8601, times that do not increase, more than max_route_points.
common::outcome<std::vector<route_point>> parse_gpx_route(std::string_view text);

}  // namespace agent
