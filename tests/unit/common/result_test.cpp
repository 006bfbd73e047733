#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "common/result.hpp"

namespace {
enum class parse_error { empty, not_a_number };

common::result<int, parse_error> parse_digit(const std::string& text) {
  if (text.empty()) return parse_error::empty;
  if (text.size() != 1 || text[0] < '0' || text[0] > '9') return parse_error::not_a_number;
  return text[0] - '0';
}
}  // namespace

TEST_CASE("result holds a value or an error, never both") {
  const auto good = parse_digit("7");
  REQUIRE(good.ok());
  REQUIRE(static_cast<bool>(good));
  CHECK(*good == 7);
  CHECK(good.value_or(0) == 7);

  const auto bad = parse_digit("x");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error() == parse_error::not_a_number);
  CHECK(bad.value_or(-1) == -1);
  CHECK(parse_digit("").error() == parse_error::empty);
}

TEST_CASE("result: an error that could be taken for the value needs unexpected") {
  const common::result<std::string, std::string> value = std::string("text");
  CHECK(value.ok());
  const common::result<std::string, std::string> error = common::unexpected(std::string("why"));
  REQUIRE_FALSE(error.ok());
  CHECK(error.error() == "why");
}

TEST_CASE("result moves a value out (move-only values work)") {
  common::result<std::unique_ptr<int>, common::failure> made = std::make_unique<int>(5);
  REQUIRE(made.ok());
  auto owned = std::move(made).value();
  CHECK(*owned == 5);
}

TEST_CASE("outcome: a value or a one-line reason") {
  const common::outcome<common::done> refused = common::failure{"scenario.yaml:3: unknown step"};
  REQUIRE_FALSE(refused.ok());
  CHECK(common::reason(refused) == "scenario.yaml:3: unknown step");
  const common::outcome<common::done> fine = common::done{};
  CHECK(fine.ok());
}
