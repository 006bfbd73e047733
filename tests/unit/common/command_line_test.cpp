#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "common/command_line.hpp"

namespace {
using parsed = common::outcome<common::command_line<std::string>>;
}  // namespace

TEST_CASE("command line: refused flags print the program's one-line reason and exit 2") {
  std::ostringstream out, err;
  const parsed refused = common::failure{"--baud wants a value"};
  CHECK(common::answer_without_work(refused, "prog", "usage: prog\n", out, err) == common::exit_code::usage);
  CHECK(out.str().empty());
  CHECK(err.str() == "prog: --baud wants a value\n");
}

TEST_CASE("command line: --help prints the usage text and exits 0") {
  std::ostringstream out, err;
  const parsed help = common::command_line<std::string>{common::command_line<std::string>::action::show_help, {}};
  CHECK(common::answer_without_work(help, "prog", "usage: prog\n", out, err) == common::exit_code::ok);
  CHECK(out.str() == "usage: prog\n");
  CHECK(err.str().empty());
}

TEST_CASE("command line: work to do is left to the program") {
  std::ostringstream out, err;
  const parsed run = common::command_line<std::string>{common::command_line<std::string>::action::run, "x"};
  CHECK_FALSE(common::answer_without_work(run, "prog", "usage: prog\n", out, err).has_value());
  CHECK(out.str().empty());
  CHECK(err.str().empty());
}
