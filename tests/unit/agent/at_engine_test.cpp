#include <catch2/catch.hpp>

#include <random>

#include "agent/at_engine.hpp"
#include "agent/v250_commands.hpp"
#include "agent_test_support.hpp"

using agent::at_command;
using agent::at_engine;
using agent::command_result;
using agent_test::same_output_at_every_split;

namespace {

// An engine with the V.250 commands and a few test commands.
struct rig {
  agent::command_table table;
  at_engine engine{table};
  agent_test::fake_profiles profiles;
  std::vector<std::string> calls;

  rig() {
    agent::add_v250_commands(table, engine, profiles);
    table.add("+INFO", [this](const at_command& c) {
      calls.push_back("+INFO " + c.args);
      return command_result::ok({"+INFO: 1"});
    });
    table.add("+TWO", [this](const at_command&) {
      calls.push_back("+TWO");
      return command_result::ok({"line one", "line two"});
    });
    table.add("+FAIL", [this](const at_command&) {
      calls.push_back("+FAIL");
      return command_result::error();
    });
    table.add("+SIM", [this](const at_command&) {
      calls.push_back("+SIM");
      return command_result::cme(10);
    });
    table.add("+HOLD", [this](const at_command&) {
      calls.push_back("+HOLD");
      return command_result::held();
    });
    table.add("+NOW", [this](const at_command&) {  // completes before returning held
      calls.push_back("+NOW");
      engine.complete(command_result::ok({"+NOW: done"}));
      return command_result::held();
    });
    table.add("+URC", [this](const at_command&) {  // a URC raised while the command runs
      engine.post_urc("+EVENT: 1");
      return command_result::ok({"+URC: 1"});
    });
    table.add("+ARGS", [this](const at_command& c) {
      calls.push_back(c.args);
      return command_result::ok();
    });
  }

  std::string run(std::vector<std::string_view> pieces) {
    std::string out;
    for (auto piece : pieces) {
      engine.feed(piece);
      out += engine.take_output();
    }
    return out;
  }
};

std::string run_fresh(std::string_view input) {
  return same_output_at_every_split(input, [](std::vector<std::string_view> pieces) { return rig().run(pieces); });
}

}  // namespace

TEST_CASE("engine: AT answers OK with echo, ATE0 turns echo off") {
  REQUIRE(run_fresh("AT\r") == "AT\r\r\nOK\r\n");
  REQUIRE(run_fresh("ATE0\rAT\r") == "ATE0\r\r\nOK\r\n\r\nOK\r\n");
  REQUIRE(run_fresh("at\r\nATE0\r\nAT\r\n") == "at\r\r\nOK\r\nATE0\r\r\nOK\r\n\r\nOK\r\n");
}

TEST_CASE("engine: information lines then OK, a command's lines are one block") {
  REQUIRE(run_fresh("AT+INFO\r") == "AT+INFO\r\r\n+INFO: 1\r\n\r\nOK\r\n");
  REQUIRE(run_fresh("AT+TWO\r") == "AT+TWO\r\r\nline one\r\nline two\r\n\r\nOK\r\n");
}

TEST_CASE("engine: , chains run in order with one final result") {
  rig r;
  REQUIRE(r.run({"ATE0\r", "AT+INFO;+TWO\r"}) == "ATE0\r\r\nOK\r\n\r\n+INFO: 1\r\n\r\nline one\r\nline two\r\n\r\nOK\r\n");
  REQUIRE(r.calls == std::vector<std::string>{"+INFO ", "+TWO"});
}

TEST_CASE("engine: the first error stops the rest of the line") {
  rig r;
  REQUIRE(r.run({"ATE0\r", "AT+INFO;+FAIL;+TWO\r"}) == "ATE0\r\r\nOK\r\n\r\n+INFO: 1\r\n\r\nERROR\r\n");
  REQUIRE(r.calls == std::vector<std::string>{"+INFO ", "+FAIL"});
  r.calls.clear();
  REQUIRE(r.run({"AT+INFO;+NOSUCH;+TWO\r"}) == "\r\n+INFO: 1\r\n\r\nERROR\r\n");
  REQUIRE(r.calls == std::vector<std::string>{"+INFO "});
}

TEST_CASE("engine: unknown commands and malformed lines answer ERROR") {
  REQUIRE(run_fresh("AT+NOSUCH\r") == "AT+NOSUCH\r\r\nERROR\r\n");
  REQUIRE(run_fresh("ATJ\r") == "ATJ\r\r\nERROR\r\n");
  REQUIRE(run_fresh("AT+ARGS=\"open\r") == "AT+ARGS=\"open\r\r\nERROR\r\n");
  REQUIRE(run_fresh("AT+INFO\"\r") == "AT+INFO\"\r\r\nERROR\r\n");
}

TEST_CASE("engine: NUL and high bytes outside quotes answer ERROR and the port stays usable") {
  std::string input("AT\0\r" "AT\x80\xff\r" "AT+INFO;\x7f\r" "AT\r", 22);
  REQUIRE(run_fresh(input) == std::string("AT\0\r\r\nERROR\r\n", 13) + "AT\x80\xff\r\r\nERROR\r\n" +
                                  "AT+INFO;\x7f\r\r\n+INFO: 1\r\n\r\nERROR\r\n" + "AT\r\r\nOK\r\n");
}

TEST_CASE("engine: NUL and high bytes inside quotes reach the handler") {
  rig r;
  r.run({std::string_view("AT+ARGS=\"a\0\x80\"\r", 14)});
  REQUIRE(r.calls == std::vector<std::string>{std::string("\"a\0\x80\"", 5)});
}

TEST_CASE("engine: spaces outside quotes are dropped") {
  rig r;
  REQUIRE(r.run({"AT+ARGS= \"g\", \"Blue LED\"\r"}) == "AT+ARGS= \"g\", \"Blue LED\"\r\r\nOK\r\n");
  REQUIRE(r.calls == std::vector<std::string>{"\"g\",\"Blue LED\""});
}

TEST_CASE("engine: over-long lines answer ERROR and the port stays usable") {
  for (std::size_t length : {2048u, 2049u, 3000u}) {
    INFO(length);
    rig r;
    r.run({"ATE0\r"});
    // "AT" and spaces: an empty command line when accepted.
    std::string line = "AT" + std::string(length - 2, ' ') + "\r";
    REQUIRE(r.run({line}) == (length <= 2048 ? "\r\nOK\r\n" : "\r\nERROR\r\n"));
    REQUIRE(r.run({"AT\r"}) == "\r\nOK\r\n");
  }
}

TEST_CASE("engine: A/ repeats the last command line") {
  rig r;
  REQUIRE(r.run({"ATE0\rAT+INFO\r", "A/"}) == "ATE0\r\r\nOK\r\n\r\n+INFO: 1\r\n\r\nOK\r\n\r\n+INFO: 1\r\n\r\nOK\r\n");
  REQUIRE(r.calls.size() == 2);
}

TEST_CASE("engine: ATV0 prints digit result codes and bare information lines") {
  REQUIRE(run_fresh("ATV0\rAT+INFO\rAT+FAIL\r") ==
          "ATV0\r0\rAT+INFO\r+INFO: 1\r\n0\rAT+FAIL\r4\r");
}

TEST_CASE("engine: ATQ1 suppresses result codes, not information") {
  REQUIRE(run_fresh("ATQ1\rAT+INFO\rATQ0\r") == "ATQ1\rAT+INFO\r\r\n+INFO: 1\r\nATQ0\r\r\nOK\r\n");
}

TEST_CASE("engine: CME errors follow AT+CMEE") {
  rig r;
  r.run({"ATE0\r"});
  REQUIRE(r.run({"AT+SIM\r"}) == "\r\nERROR\r\n");
  REQUIRE(r.run({"AT+CMEE=1\r", "AT+SIM\r"}) == "\r\nOK\r\n\r\n+CME ERROR: 10\r\n");
  REQUIRE(r.run({"AT+CMEE=2\r", "AT+SIM\r"}) == "\r\nOK\r\n\r\n+CME ERROR: SIM not inserted\r\n");
  REQUIRE(r.run({"ATV0\r", "AT+SIM\r"}) == "0\r+CME ERROR: SIM not inserted\r\n");
  REQUIRE(r.run({"AT+CMEE=0\r", "AT+SIM\r"}) == "0\r4\r");
}

TEST_CASE("engine: CME texts of the SIM7600") {
  CHECK(agent::cme_error_text(3) == "operation not allowed");
  CHECK(agent::cme_error_text(4) == "operation not supported");
  CHECK(agent::cme_error_text(10) == "SIM not inserted");
  CHECK(agent::cme_error_text(50) == "incorrect parameters");
  CHECK(agent::cme_error_text(100) == "unknown");
  CHECK(agent::cme_error_text(12345) == "unknown");
}

TEST_CASE("engine: a URC when idle goes out at once") {
  rig r;
  r.engine.post_urc("+CAPNET: 6,1");
  REQUIRE(r.engine.take_output() == "\r\n+CAPNET: 6,1\r\n");
}

TEST_CASE("engine: a URC raised inside a command comes after its final result") {
  REQUIRE(run_fresh("AT+URC\r") == "AT+URC\r\r\n+URC: 1\r\n\r\nOK\r\n\r\n+EVENT: 1\r\n");
}

TEST_CASE("engine: a held command waits, input and URCs meanwhile wait for its final result, in order") {
  rig r;
  REQUIRE(r.run({"AT+HOLD;+INFO\rAT+TWO\r"}) == "AT+HOLD;+INFO\r");
  REQUIRE(r.calls == std::vector<std::string>{"+HOLD"});
  r.engine.post_urc("+FIRST: 1");
  r.engine.post_urc("+SECOND: 2");
  REQUIRE(r.run({"AT\r"}).empty());
  r.engine.complete(command_result::ok({"+HOLD: done"}));
  REQUIRE(r.engine.take_output() ==
          "\r\n+HOLD: done\r\n\r\n+INFO: 1\r\n\r\nOK\r\n"
          "\r\n+FIRST: 1\r\n\r\n+SECOND: 2\r\n"
          "AT+TWO\r\r\nline one\r\nline two\r\n\r\nOK\r\n"
          "AT\r\r\nOK\r\n");
  REQUIRE(r.calls == std::vector<std::string>{"+HOLD", "+INFO ", "+TWO"});
}

TEST_CASE("engine: a held command that fails stops its line") {
  rig r;
  r.run({"ATE0\r"});
  REQUIRE(r.run({"AT+HOLD;+INFO\r"}).empty());
  r.engine.complete(command_result::cme(3));
  REQUIRE(r.engine.take_output() == "\r\nERROR\r\n");
  REQUIRE(r.calls == std::vector<std::string>{"+HOLD"});
}

TEST_CASE("engine: a command completed before its handler returned held") {
  REQUIRE(run_fresh("AT+NOW;+INFO\r") == "AT+NOW;+INFO\r\r\n+NOW: done\r\n\r\n+INFO: 1\r\n\r\nOK\r\n");
}

TEST_CASE("engine: a stray complete() with nothing held is ignored") {
  rig r;
  r.engine.complete(command_result::ok({"+X"}));
  REQUIRE(r.engine.take_output().empty());
}

TEST_CASE("engine: while not accepting, bytes are dropped unseen") {
  rig r;
  r.engine.set_accepting(false);
  REQUIRE(r.run({"AT\r"}).empty());
  r.engine.set_accepting(true);
  REQUIRE(r.run({"AT\r"}) == "AT\r\r\nOK\r\n");
}

TEST_CASE("engine: dropping a partial line") {
  rig r;
  r.run({"ATE0\r", "AT+IN"});
  r.engine.drop_partial_line();
  REQUIRE(r.run({"FO\rAT\r"}) == "\r\nOK\r\n");
  REQUIRE(r.calls.empty());
}

TEST_CASE("engine: random bytes never break the port") {
  rig r;
  std::mt19937 random(7);  // fixed seed: the same bytes on every run
  static constexpr char letters[] = "AaTt+EVQ01&FWZS35=?;,\"\\\0\x80\xff\x7f\r\n\b /IN";
  const std::string alphabet(letters, sizeof letters - 1);
  std::string noise;
  for (int i = 0; i < 20000; ++i) noise += alphabet[random() % alphabet.size()];
  for (std::size_t pos = 0; pos < noise.size();) {
    std::size_t chunk = 1 + random() % 64;
    r.engine.feed(std::string_view(noise).substr(pos, chunk));
    while (auto done = std::exchange(r.profiles.pending, nullptr)) done(true);  // AT&W made durable
    r.engine.take_output();
    pos += chunk;
  }
  r.engine.settings() = {};
  r.engine.feed("\rAT\r");
  std::string out = r.engine.take_output();
  REQUIRE(out.size() >= 6);
  REQUIRE(out.substr(out.size() - 6) == "\r\nOK\r\n");
}
