// sim7600-scenario's flags.
#include <catch2/catch.hpp>

#include "scenario/command_line.hpp"
#include "scenario/world_words.hpp"

using namespace scenario;

TEST_CASE("flags and files", "[scenario][flags]") {
  const auto parsed = parse_command_line({"--junit", "out.xml", "-j", "2", "--keep-going", "a.yaml", "b.yaml"});
  REQUIRE(parsed.ok());
  CHECK(parsed.value().args.junit_file == "out.xml");
  CHECK(parsed.value().args.jobs == 2);
  CHECK(parsed.value().args.keep_going);
  CHECK(parsed.value().args.files == std::vector<std::string>{"a.yaml", "b.yaml"});
  CHECK(parse_command_line({"-j4", "a.yaml"}).value().args.jobs == 4);
  const auto with_vars = parse_command_line({"--var", "fw=build/fw", "--var", "url=https://x:1/a=b", "a.yaml"});
  CHECK(with_vars.value().args.variables == std::map<std::string, std::string>{{"fw", "build/fw"}, {"url", "https://x:1/a=b"}});
  CHECK(parse_command_line({"--var", "=x", "a.yaml"}).error().reason == "--var wants NAME=VALUE, got '=x'");
}

TEST_CASE("bad flags get a one-line reason", "[scenario][flags]") {
  CHECK(parse_command_line({"-j", "0", "a.yaml"}).error().reason == "-j wants a number of cases from 1 to 64, got '0'");
  CHECK(parse_command_line({"--junit"}).error().reason == "--junit wants a value");
  CHECK(parse_command_line({"--frob", "a.yaml"}).error().reason == "unknown flag --frob (see --help)");
  CHECK(parse_command_line({"a.yaml", "-x"}).error().reason == "unknown flag -x (see --help)");
  CHECK(parse_command_line({"-j", "many", "a.yaml"}).error().reason ==
        "-j wants a number of cases from 1 to 64, got 'many'");
  CHECK(parse_command_line({}).error().reason == "no scenario file given (see --help)");
  CHECK(parse_command_line({"--from-transcript", "t", "a.yaml"}).error().reason ==
        "--from-transcript takes no scenario files");
}

TEST_CASE("every flag takes its value as the next argument or after '='", "[scenario][flags]") {
  const auto parsed = parse_command_line({"--junit=out.xml", "-j3", "--var=a=b", "--var", "c=d", "x.yaml"});
  REQUIRE(parsed.ok());
  CHECK(parsed->args.junit_file == "out.xml");
  CHECK(parsed->args.jobs == 3);
  CHECK(parsed->args.variables == std::map<std::string, std::string>{{"a", "b"}, {"c", "d"}});
  CHECK(parsed->args.files == std::vector<std::string>{"x.yaml"});
  CHECK(parse_command_line({"--from-transcript=t.txt"})->args.from_transcript == "t.txt");
  CHECK(parse_command_line({"-j", "9", "-j", "2", "a.yaml"})->args.jobs == 2);
  CHECK(parse_command_line({"-j"}).error().reason == "-j wants a value");
  CHECK(parse_command_line({"a.yaml", "--var"}).error().reason == "--var wants a value");
}

TEST_CASE("help and version win over a bad flag, help in the common layout", "[scenario][flags]") {
  CHECK(parse_command_line({"--help"})->what == cli::request::help);
  CHECK(parse_command_line({"-h", "--frob"})->what == cli::request::help);
  CHECK(parse_command_line({"--version"})->what == cli::request::version);
  const std::string usage = usage_text();
  CHECK(usage.starts_with("usage: sim7600-scenario [flags] SCENARIO.yaml...\n"));
  for (const char* flag : {"--junit FILE", "--keep-going", "-j N", "--var NAME=VALUE", "--from-transcript FILE",
                           "-h,--help", "--version"}) {
    INFO(flag);
    CHECK(usage.find(flag) != std::string::npos);
  }
}

TEST_CASE("a world line splits into sim7600-ctl's words", "[scenario][world]") {
  CHECK(world_words("coverage lost").value() == std::vector<std::string>{"coverage", "lost"});
  CHECK(world_words("  signal  10 99 ").value() == std::vector<std::string>{"signal", "10", "99"});
  CHECK(world_words("sms deliver +8613900000000 \"hello world\"").value() ==
        std::vector<std::string>{"sms", "deliver", "+8613900000000", "hello world"});
  CHECK(world_words("sms deliver 1 \"\"").value() == std::vector<std::string>{"sms", "deliver", "1", ""});
  CHECK(world_words("sms deliver 1 \"open").error().reason == "unterminated quote in 'sms deliver 1 \"open'");
}
