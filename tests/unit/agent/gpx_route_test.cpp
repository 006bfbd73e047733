// GPX tracks as routes: what a real track file holds, and every kind of bad file refused with its line.
#include <catch2/catch.hpp>

#include <cstdio>

#include "agent/gpx_route.hpp"

namespace {

std::string gpx(const std::string& points) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
         "<trk><name>t</name><trkseg>\n" +
         points + "</trkseg></trk>\n</gpx>\n";
}

std::string refusal(const std::string& text) {
  auto route = agent::parse_gpx_route(text);
  REQUIRE_FALSE(route);
  return route.error().reason;
}

}  // namespace

TEST_CASE("gpx: track points with elevation and times, in file order") {
  const auto route = agent::parse_gpx_route(gpx(
      "<trkpt lat=\"48.8584\" lon=\"2.2945\"><ele>35.5</ele><time>2026-12-06T20:00:00Z</time></trkpt>\n"
      "<!-- <trkpt lat=\"1\" lon=\"1\"><time>2026-12-06T19:00:00Z</time></trkpt> -->\n"
      "<trkpt lon='2.2950' lat='48.8590'>\n  <time>2026-12-06T21:00:10.5+01:00</time>\n</trkpt>\n"));
  REQUIRE(route);
  REQUIRE(route->size() == 2);
  CHECK((*route)[0].where.latitude == Approx(48.8584));
  CHECK((*route)[0].where.altitude == Approx(35.5));
  CHECK((*route)[1].where.longitude == Approx(2.2950));
  CHECK((*route)[1].where.altitude == 0);
  CHECK((*route)[1].time - (*route)[0].time == Approx(10.5));
}

TEST_CASE("gpx: bad files are refused with the line of the fault") {
  const std::string good_time = "<time>2026-12-06T20:00:00Z</time>";
  CHECK(refusal("") == "not a GPX document (no <gpx> element)");
  CHECK(refusal("<kml><trkpt lat=\"1\" lon=\"2\"></trkpt></kml>") == "not a GPX document (no <gpx> element)");
  CHECK(refusal(gpx("")) == "no track point (<trkpt> with <time>) in the GPX document");
  CHECK(refusal(gpx("<trkpt lat=\"91\" lon=\"2\">" + good_time + "</trkpt>\n")) == "line 4: <trkpt> needs lat=\"-90..90\"");
  CHECK(refusal(gpx("<trkpt lat=\"1\">" + good_time + "</trkpt>\n")) == "line 4: <trkpt> needs lon=\"-180..180\"");
  CHECK(refusal(gpx("<trkpt lat=\"x1\" lon=\"2\">" + good_time + "</trkpt>\n")) == "line 4: <trkpt> needs lat=\"-90..90\"");
  CHECK(refusal(gpx("<trkpt lat=\"1\" lon=\"2\"/>\n")) == "line 4: <trkpt> has no <time>");
  CHECK(refusal(gpx("<trkpt lat=\"1\" lon=\"2\"><ele>3</ele></trkpt>\n")) == "line 4: <trkpt> has no <time>");
  CHECK(refusal(gpx("<trkpt lat=\"1\" lon=\"2\"><time>yesterday</time></trkpt>\n")) ==
        "line 4: <time> is not an ISO 8601 UTC time (2026-12-06T20:15:00Z)");
  CHECK(refusal(gpx("<trkpt lat=\"1\" lon=\"2\"><ele>high</ele>" + good_time + "</trkpt>\n")) ==
        "line 4: <ele> is not a number of metres");
  CHECK(refusal(gpx("<trkpt lat=\"1\" lon=\"2\">" + good_time + "</trkpt>\n<trkpt lat=\"1\" lon=\"2\">" + good_time +
                    "</trkpt>\n")) == "line 5: track point times must increase");
  CHECK(refusal(gpx("<trkpt lat=\"1\" lon=\"2\">" + good_time)) == "line 4: <trkpt> has no </trkpt>");
  CHECK(refusal("<gpx><trkpt lat=\"1\" lon=\"2\"") == "line 1: <trkpt> is not closed");
}

TEST_CASE("gpx: a track longer than the bound is refused, and binary noise is no GPX") {
  // One second apart, so the bound is what stops it.
  std::string track = "<gpx>";
  for (std::size_t i = 0; i <= agent::max_route_points; ++i) {
    const long seconds = static_cast<long>(i);
    char time[64];
    std::snprintf(time, sizeof time, "2026-12-%02ldT%02ld:%02ld:%02ldZ", 1 + seconds / 86400, seconds / 3600 % 24,
                  seconds / 60 % 60, seconds % 60);
    track += "<trkpt lat=\"1\" lon=\"2\"><time>" + std::string(time) + "</time></trkpt>";
  }
  track += "</gpx>";
  CHECK(refusal(track) == "line 1: more than 100000 track points");
  CHECK(refusal(std::string("\x00\xff<gp\x01", 6)) == "not a GPX document (no <gpx> element)");
}
