#include <catch2/catch.hpp>

#include "agent/at_args.hpp"

using agent::at_arg;
using agent::parse_at_args;

TEST_CASE("parse_at_args: quoted strings, bare tokens and empty positions") {
  auto args = parse_at_args(R"("g","Blue_LED",1,,-42)");
  REQUIRE(args);
  REQUIRE(*args == std::vector<at_arg>{{"g", true}, {"Blue_LED", true}, {"1", false}, {"", false}, {"-42", false}});
}

TEST_CASE("parse_at_args: an empty text is an empty list, a lone comma is two empty positions") {
  REQUIRE(parse_at_args("")->empty());
  REQUIRE(*parse_at_args(",") == std::vector<at_arg>{{"", false}, {"", false}});
  REQUIRE(*parse_at_args(R"("")") == std::vector<at_arg>{{"", true}});
}

TEST_CASE("parse_at_args: hex escapes of quote, backslash and any byte, in either case") {
  auto args = parse_at_args(R"("say \22hi\22","a\5cb","\0d\0A\7e\FF")");
  REQUIRE(args);
  REQUIRE((*args)[0].value == "say \"hi\"");
  REQUIRE((*args)[1].value == "a\\b");
  REQUIRE((*args)[2].value == std::string("\r\n~\xFF"));
}

TEST_CASE("parse_at_args: quoted text keeps commas, semicolons and spaces") {
  auto args = parse_at_args(R"("a, b;c",2)");
  REQUIRE(args);
  REQUIRE(*args == std::vector<at_arg>{{"a, b;c", true}, {"2", false}});
}

TEST_CASE("parse_at_args: malformed texts give nullopt") {
  CHECK_FALSE(parse_at_args(R"("unterminated)"));
  CHECK_FALSE(parse_at_args(R"("bad \2")"));
  CHECK_FALSE(parse_at_args(R"("bad \zz")"));
  CHECK_FALSE(parse_at_args(R"("end\")"));
  CHECK_FALSE(parse_at_args(R"("a"b,1)"));
  CHECK_FALSE(parse_at_args(R"(1"a")"));
}

TEST_CASE("parse_at_args: NUL and high bytes inside quotes are data") {
  std::string text = "\"a";
  text += '\0';
  text += "\x80\xff\"";
  auto args = parse_at_args(text);
  REQUIRE(args);
  REQUIRE((*args)[0].value == std::string("a\0\x80\xff", 4));
}

TEST_CASE("parse_at_number") {
  CHECK(agent::parse_at_number("42") == 42);
  CHECK(agent::parse_at_number("-1") == -1);
  CHECK_FALSE(agent::parse_at_number(""));
  CHECK_FALSE(agent::parse_at_number("1a"));
  CHECK_FALSE(agent::parse_at_number("99999999999999999999999"));
}
