// cli: the command line every program shares — CLI11 set up alike, one-line reasons, and the answer a program gives
// without doing its work.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "cli/command_line.hpp"

namespace {

using parsed = common::outcome<cli::command_line<std::string>>;

std::string usage() { return "usage: prog\n"; }

// A program with one flag taking a value, one without, and an operand list.
struct program {
  CLI::App app{"", "prog"};
  std::string name;
  bool loud = false;
  std::vector<std::string> files;

  program() {
    cli::configure(app, {"prog [flags] FILE...", "Does a thing.", "footer line"});
    app.add_option("--name", name, "who")->type_name("NAME");
    app.add_flag("--loud", loud, "shout");
    app.add_option("files", files)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->group("");
  }
};

// Parses `args` for a fresh program.
common::result<cli::request, common::failure> parse(std::vector<std::string> args, const cli::wording& words = {}) {
  program p;
  return cli::parse(p.app, std::move(args), words);
}

std::string reason(std::vector<std::string> args, const cli::wording& words = {}) {
  const auto parsed = parse(std::move(args), words);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().reason;
}

cli::request asked(std::vector<std::string> args) {
  const auto parsed = parse(std::move(args));
  REQUIRE(parsed.ok());
  return *parsed;
}

}  // namespace

TEST_CASE("cli: a flag's value follows it or comes after '=' and given twice the last wins") {
  program p;
  const auto parsed = cli::parse(p.app, {"--name", "a", "x", "--loud", "--name=b", "y"});
  REQUIRE(parsed.ok());
  CHECK(*parsed == cli::request::run);
  CHECK(p.name == "b");
  CHECK(p.loud);
  CHECK(p.files == std::vector<std::string>{"x", "y"});
  program empty;
  REQUIRE(cli::parse(empty.app, {"--name="}).ok());
  CHECK(empty.name.empty());
}

TEST_CASE("cli: a missing value or an unknown flag is one line, in the program's words if it has its own") {
  CHECK(reason({"--name"}) == "--name wants a value");
  CHECK(reason({"--nope"}) == "unknown flag '--nope' (see --help)");
  const cli::wording older = {[](const std::string& argument, const std::string&) { return "bad " + argument; },
                              "missing value for {}"};
  CHECK(reason({"--name"}, older) == "missing value for --name");
  CHECK(reason({"x", "--nope"}, older) == "bad --nope");
  cli::wording mine;
  mine.unknown = nullptr;
  program reads_extras;
  REQUIRE(cli::parse(reads_extras.app, {"--nope", "x"}, mine).ok());
  CHECK(reads_extras.app.remaining() == std::vector<std::string>{"--nope"});
}

TEST_CASE("cli: --help and --version win over mistakes and the help layout is the same for every program") {
  CHECK(asked({"--nope", "--help"}) == cli::request::help);
  CHECK(asked({"-h"}) == cli::request::help);
  CHECK(asked({"--version", "--loud"}) == cli::request::version);
  const std::string help = program().app.help();
  CHECK(help.starts_with("usage: prog [flags] FILE...\nDoes a thing.\n"));
  CHECK(help.find("--name NAME") != std::string::npos);
  CHECK(help.find("-h,--help") != std::string::npos);
  CHECK(help.find("--version") != std::string::npos);
  CHECK(help.ends_with("\nfooter line"));
  CHECK_THAT(cli::version_line("prog"), Catch::Matches("prog [0-9]+\\.[0-9]+\\.[0-9]+"));
}

TEST_CASE("cli: refused flags print the program's one-line reason and exit 2") {
  std::ostringstream out, err;
  const parsed refused = common::failure{"--baud wants a value"};
  CHECK(cli::answer(refused, "prog", usage, out, err) == common::exit_code::usage);
  CHECK(out.str().empty());
  CHECK(err.str() == "prog: --baud wants a value\n");
}

TEST_CASE("cli: --help prints the usage text, --version the version line, and both exit 0") {
  std::ostringstream out, err;
  const parsed help = cli::command_line<std::string>{cli::request::help, {}};
  CHECK(cli::answer(help, "prog", usage, out, err) == common::exit_code::ok);
  CHECK(out.str() == "usage: prog\n");
  std::ostringstream version_out;
  const parsed version = cli::command_line<std::string>{cli::request::version, {}};
  CHECK(cli::answer(version, "prog", usage, version_out, err) == common::exit_code::ok);
  CHECK(version_out.str() == cli::version_line("prog") + "\n");
  CHECK(err.str().empty());
}

TEST_CASE("cli: work to do is left to the program") {
  std::ostringstream out, err;
  const parsed run = cli::command_line<std::string>{cli::request::run, "x"};
  CHECK_FALSE(cli::answer(run, "prog", usage, out, err).has_value());
  CHECK(out.str().empty());
  CHECK(err.str().empty());
}
