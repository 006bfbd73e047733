// One writer at a time among a module's terminal viewers; the seat passes to the viewer waiting longest.
#include "ads_sim/terminal/writer_seat.hpp"

#include <catch2/catch.hpp>

using ads_sim::terminal::role;
using ads_sim::terminal::writer_seat;

TEST_CASE("the first viewer writes, later ones read", "[ads_sim][terminal]") {
  writer_seat seat;
  CHECK(seat.join(1) == role::writer);
  CHECK(seat.join(2) == role::reader);
  CHECK(seat.join(3) == role::reader);
  CHECK(seat.may_write(1));
  CHECK_FALSE(seat.may_write(2));
  CHECK_FALSE(seat.may_write(3));
  CHECK_FALSE(seat.may_write(4));  // never joined
}

TEST_CASE("when the writer leaves, the reader waiting longest takes the seat", "[ads_sim][terminal]") {
  writer_seat seat;
  seat.join(1);
  seat.join(2);
  seat.join(3);
  CHECK(seat.leave(1) == std::optional<std::uint64_t>(2));
  CHECK(seat.may_write(2));
  CHECK_FALSE(seat.may_write(1));
  CHECK_FALSE(seat.may_write(3));
  // A reader leaving changes no one's role.
  CHECK_FALSE(seat.leave(3).has_value());
  CHECK_FALSE(seat.leave(2).has_value());
  CHECK(seat.empty());
  // An empty seat goes to the next one in.
  CHECK(seat.join(4) == role::writer);
}

TEST_CASE("a reader that left is not promoted later", "[ads_sim][terminal]") {
  writer_seat seat;
  seat.join(1);
  seat.join(2);
  seat.join(3);
  seat.leave(2);
  CHECK(seat.leave(1) == std::optional<std::uint64_t>(3));
}
