// Durations as scenario and fleet files write them: a whole amount and ms, s or m; anything else is refused by name.
#include <catch2/catch.hpp>

#include "common/duration.hpp"

using common::parse_duration;

TEST_CASE("durations are a whole amount and a unit", "[common][duration]") {
  CHECK(parse_duration("250ms").value() == std::chrono::milliseconds(250));
  CHECK(parse_duration("10s").value() == std::chrono::seconds(10));
  CHECK(parse_duration("2m").value() == std::chrono::minutes(2));
  CHECK(parse_duration("0s").value() == std::chrono::milliseconds(0));
}

TEST_CASE("a duration with no unit, a negative one or no amount is refused, naming the text", "[common][duration]") {
  CHECK(parse_duration("10").error().reason == "'10' is not a duration (250ms, 10s, 2m)");
  CHECK(parse_duration("-1s").error().reason == "'-1s' is not a duration (250ms, 10s, 2m)");
  CHECK_FALSE(parse_duration("s").ok());
  CHECK_FALSE(parse_duration("1h").ok());
  CHECK_FALSE(parse_duration("1.5s").ok());
}
