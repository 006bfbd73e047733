#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "common/hex.hpp"
#include "common/random_bytes.hpp"

TEST_CASE("to_hex is lower case, two digits a byte, and from_hex reverses it in either case") {
  CHECK(common::to_hex(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  CHECK(common::to_hex(std::string()) == "");
  CHECK(common::to_upper_hex(std::string("\x00\x01\xab\xff", 4)) == "0001ABFF");
  CHECK(common::from_hex("0001ABff") == std::string("\x00\x01\xab\xff", 4));
  CHECK_FALSE(common::from_hex("abc").has_value());
  CHECK_FALSE(common::from_hex("zz").has_value());
}

TEST_CASE("random_bytes: the size asked, different every time, counted") {
  const auto before = common::random_bytes_calls();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto bytes = common::random_bytes(16);
    REQUIRE(bytes.size() == 16);
    seen.insert(bytes);
  }
  CHECK(seen.size() == 100);
  CHECK(common::random_bytes_calls() - before == 100);
}
