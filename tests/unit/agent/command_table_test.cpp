#include <catch2/catch.hpp>

#include "agent_test_support.hpp"

using agent::at_params;
using agent::command_result;

namespace {

// An engine whose table has rows for each kind of argument and form.
struct table_rig : agent_test::v250_engine_rig {
  std::vector<std::string> seen;  // what the set handlers were given, as "a|b|c" ("-" for absent)

  table_rig() {
    auto record = [this](const at_params& params) {
      std::string line;
      for (std::size_t i = 0; i < params.count(); ++i) {
        line += (i ? "|" : "") + (params.has(i) ? params.text(i) : std::string("-"));
      }
      seen.push_back(line);
      return command_result::ok();
    };
    table.add({.name = "+FIXED", .test = agent::answer({"+FIXED: (0-1)"}), .action = agent::answer({"+FIXED: 1"})});
    table.add({.name = "+TYPED",
               .set = record,
               .set_args = {agent::integer(1, 24), agent::optional(agent::word({"IP", "PPP"})),
                            agent::optional(agent::text(4)), agent::optional(agent::integer_of({0, 1, 4}))}});
    table.add({.name = "+SMS", .action = [] { return command_result::cms(321); }});
  }
};

}  // namespace

TEST_CASE("table: a fixed answer is data, a missing form answers ERROR") {
  table_rig r;
  REQUIRE(r.feed("AT+FIXED\r") == "\r\n+FIXED: 1\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+FIXED=?\r") == "\r\n+FIXED: (0-1)\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+FIXED?\r") == "\r\nERROR\r\n");
  REQUIRE(r.feed("AT+FIXED=1\r") == "\r\nERROR\r\n");
  REQUIRE(r.feed("AT+TYPED\r") == "\r\nERROR\r\n");
}

TEST_CASE("table: typed arguments are checked before the handler runs") {
  table_rig r;
  REQUIRE(r.feed("AT+TYPED=24,\"ppp\",\"abcd\",4\r") == "\r\nOK\r\n");
  REQUIRE(r.feed("AT+TYPED=1,ip\r") == "\r\nOK\r\n");
  REQUIRE(r.feed("AT+TYPED=3,,\"\"\r") == "\r\nOK\r\n");
  REQUIRE(r.seen == std::vector<std::string>{"24|PPP|abcd|4", "1|IP", "3|-|"});
  for (const char* bad : {"AT+TYPED=\r", "AT+TYPED=0\r", "AT+TYPED=25\r", "AT+TYPED=\"1\"\r", "AT+TYPED=x\r",
                          "AT+TYPED=1,\"X25\"\r", "AT+TYPED=1,IP,\"abcde\"\r", "AT+TYPED=1,IP,\"a\",2\r",
                          "AT+TYPED=1,IP,\"a\",1,5\r", "AT+TYPED=1,\"open\r"}) {
    INFO(bad);
    REQUIRE(r.feed(bad) == "\r\nERROR\r\n");
  }
  // Invalid parameters are ERROR whatever AT+CMEE says (27.007 §9.1); the handler never saw them.
  REQUIRE(r.feed("AT+CMEE=2;+TYPED=99\r") == "\r\nERROR\r\n");
  REQUIRE(r.seen.size() == 3);
  REQUIRE(r.feed("AT\r") == "\r\nOK\r\n");
}

TEST_CASE("table: SMS errors are +CMS ERROR, numbered or worded per AT+CMEE") {
  table_rig r;
  REQUIRE(r.feed("AT+SMS\r") == "\r\n+CMS ERROR: 321\r\n");
  REQUIRE(r.feed("AT+CMEE=2;+SMS\r") == "\r\n+CMS ERROR: invalid memory index\r\n");
  REQUIRE(r.feed("ATV0;+SMS\r") == "+CMS ERROR: invalid memory index\r\n");
}

namespace {

// A counter whose rows name their handlers.
struct counter {
  int value = 0;
};
command_result read_counter(counter& c) { return command_result::ok({"+COUNT: " + std::to_string(c.value)}); }
command_result add_to_counter(counter& c, const at_params& params) {
  c.value += params.integer(0);
  return command_result::ok();
}

}  // namespace

TEST_CASE("table: a row names its handler and what the handler acts on") {
  table_rig r;
  counter c;
  r.table.add({.name = "+COUNT",
               .read = agent::handler(c, read_counter),
               .set = agent::handler(c, add_to_counter),
               .set_args = {agent::integer(1, 9)},
               .action = agent::handler(c, read_counter)});
  REQUIRE(r.feed("AT+COUNT=2;+COUNT=3\r") == "\r\nOK\r\n");
  REQUIRE(c.value == 5);
  REQUIRE(r.feed("AT+COUNT?\r") == "\r\n+COUNT: 5\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+COUNT\r") == "\r\n+COUNT: 5\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+COUNT=?\r") == "\r\nERROR\r\n");
}
