#include <catch2/catch.hpp>

#include "agent/at_command_line.hpp"

using agent::at_command;
using agent::split_command_line;
using form = at_command::form;

namespace {

std::vector<std::string> describe(const agent::command_line& line) {
  std::vector<std::string> out;
  for (const auto& c : line.commands) {
    const char* kind = c.kind == form::action ? "action" : c.kind == form::read ? "read" : c.kind == form::test ? "test" : "set";
    out.push_back(c.name + " " + kind + " [" + c.args + "]");
  }
  if (line.malformed) out.push_back("<malformed>");
  return out;
}

}  // namespace

TEST_CASE("command line: empty") { REQUIRE(describe(split_command_line("")).empty()); }

TEST_CASE("command line: concatenated basic commands") {
  REQUIRE(describe(split_command_line("e0V1&f&W0s3=13S5?S3=?i z")) ==
          std::vector<std::string>{"E action [0]", "V action [1]", "&F action []", "&W action [0]",
                                   "S3 set [13]", "S5 read []", "S3 test []", "I action []", "Z action []"});
}

TEST_CASE("command line: extended commands in their four forms, separated by ,") {
  REQUIRE(describe(split_command_line("+csq;+CREG?;+cgdcont=?;+CGDCONT=1,\"IP\",\"Cmnet\";")) ==
          std::vector<std::string>{"+CSQ action []", "+CREG read []", "+CGDCONT test []",
                                   "+CGDCONT set [1,\"IP\",\"Cmnet\"]"});
}

TEST_CASE("command line: spaces outside quotes dropped, quoted text verbatim") {
  REQUIRE(describe(split_command_line("+ADA= \"g\", \"Blue LED;x\" ; + csq")) ==
          std::vector<std::string>{"+ADA set [\"g\",\"Blue LED;x\"]", "+CSQ action []"});
}

TEST_CASE("command line: basic commands may precede an extended one") {
  REQUIRE(describe(split_command_line("E0+CMEE=2")) ==
          std::vector<std::string>{"E action [0]", "+CMEE set [2]"});
}

TEST_CASE("command line: an extended command not followed by , is malformed there") {
  REQUIRE(describe(split_command_line("+CSQ;+CREG?E0")) ==
          std::vector<std::string>{"+CSQ action []", "<malformed>"});
}

TEST_CASE("command line: NUL, control and high bytes outside quotes make the rest malformed") {
  REQUIRE(describe(split_command_line(std::string("E0\0V1", 5))) ==
          std::vector<std::string>{"E action [0]", "<malformed>"});
  REQUIRE(describe(split_command_line("+CSQ;+X=\x80")) == std::vector<std::string>{"+CSQ action []", "<malformed>"});
  REQUIRE(describe(split_command_line("\xff")) == std::vector<std::string>{"<malformed>"});
}

TEST_CASE("command line: NUL and high bytes inside quotes are data") {
  std::string text("+ADA=\"a\0\x80\"", 10);
  auto line = split_command_line(text);
  REQUIRE(!line.malformed);
  REQUIRE(line.commands.size() == 1);
  REQUIRE(line.commands[0].args == std::string("\"a\0\x80\"", 5));
}

TEST_CASE("command line: an unterminated quote is malformed") {
  REQUIRE(describe(split_command_line("+CSQ;+ADA=\"start")) ==
          std::vector<std::string>{"+CSQ action []", "<malformed>"});
}

TEST_CASE("command line: garbage is malformed") {
  REQUIRE(describe(split_command_line("+")) == std::vector<std::string>{"<malformed>"});
  REQUIRE(describe(split_command_line("#")) == std::vector<std::string>{"<malformed>"});
  REQUIRE(describe(split_command_line("&1")) == std::vector<std::string>{"<malformed>"});
}
