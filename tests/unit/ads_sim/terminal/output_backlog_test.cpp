// A terminal viewer's backlog is bounded: past the limit the push fails and nothing is kept.
#include "ads_sim/terminal/output_backlog.hpp"

#include <catch2/catch.hpp>

using ads_sim::terminal::frame_kind;
using ads_sim::terminal::output_backlog;

TEST_CASE("frames leave the backlog in order and free their bytes", "[ads_sim][terminal]") {
  output_backlog backlog(10);
  REQUIRE(backlog.push(frame_kind::output, "AT\r\n"));
  REQUIRE(backlog.push(frame_kind::notice, "{}"));
  CHECK(backlog.bytes() == 6);
  CHECK(backlog.front().bytes == "AT\r\n");
  CHECK(backlog.front().kind == frame_kind::output);
  backlog.pop();
  CHECK(backlog.front().kind == frame_kind::notice);
  backlog.pop();
  CHECK(backlog.empty());
  CHECK(backlog.bytes() == 0);
}

TEST_CASE("a push past the limit is refused and the backlog keeps what it had", "[ads_sim][terminal]") {
  output_backlog backlog(10);
  REQUIRE(backlog.push(frame_kind::output, "0123456789"));  // exactly the limit
  CHECK_FALSE(backlog.push(frame_kind::output, "x"));
  CHECK(backlog.bytes() == 10);
  backlog.pop();
  CHECK(backlog.push(frame_kind::output, "x"));
}
