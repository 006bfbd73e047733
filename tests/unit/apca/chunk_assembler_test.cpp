#include "apca/chunk_assembler.hpp"

#include <catch2/catch.hpp>

using apca::chunk_assembler;
using apca::chunk_kind;

TEST_CASE("chunk assembler: st, ss..., sn give the whole value") {
  chunk_assembler parts({.max_part = 0, .max_total = 20, .skip_whitespace = false});
  CHECK_FALSE(parts.add(chunk_kind::first, "abc").value());
  CHECK(parts.in_progress());
  CHECK_FALSE(parts.add(chunk_kind::middle, "def").value());
  auto whole = parts.add(chunk_kind::last, "g h");
  REQUIRE(whole.ok());
  CHECK(whole.value() == "abcdefg h");
  CHECK_FALSE(parts.in_progress());
  // st alone then sn: two parts are enough; a new st starts over.
  REQUIRE(parts.add(chunk_kind::first, "old").ok());
  REQUIRE(parts.add(chunk_kind::first, "new").ok());
  CHECK(parts.add(chunk_kind::last, "").value() == "new");
}

TEST_CASE("chunk assembler: order and limits") {
  chunk_assembler parts({.max_part = 4, .max_total = 8, .skip_whitespace = true});
  auto out_of_order = parts.add(chunk_kind::middle, "x");
  REQUIRE_FALSE(out_of_order.ok());
  CHECK(out_of_order.error().code == apca::ada_code::invalid);
  CHECK(parts.add(chunk_kind::last, "x").error().code == apca::ada_code::invalid);

  CHECK(parts.add(chunk_kind::first, "ab \r\n cd").ok());  // whitespace is not counted
  CHECK(parts.add(chunk_kind::middle, "efgh").ok());
  auto too_long = parts.add(chunk_kind::last, "i");
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().code == apca::ada_code::len_err);
  CHECK_FALSE(parts.in_progress());

  REQUIRE(parts.add(chunk_kind::first, "").ok());
  CHECK(parts.add(chunk_kind::middle, "abcde").error().code == apca::ada_code::len_err);
}

TEST_CASE("chunk assembler: part kinds are st, ss and sn in any case") {
  CHECK(apca::parse_chunk_kind("st") == chunk_kind::first);
  CHECK(apca::parse_chunk_kind("SS") == chunk_kind::middle);
  CHECK(apca::parse_chunk_kind("Sn") == chunk_kind::last);
  CHECK_FALSE(apca::parse_chunk_kind("s"));
  CHECK_FALSE(apca::parse_chunk_kind("stx"));
}
