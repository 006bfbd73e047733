// cli::describe: the words a shell completes, read from a program's CLI::App (what the bash completions are made of).
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_words.hpp"
#include "cli/command_line.hpp"

namespace {

std::optional<cli::value_kind> value_of(const std::vector<cli::flag_word>& flags, const std::string& name) {
  const auto found = std::find_if(flags.begin(), flags.end(), [&](const cli::flag_word& f) { return f.name == name; });
  if (found == flags.end()) return std::nullopt;
  return found->value;
}

}  // namespace

TEST_CASE("describe: every flag once by each of its names, with what its value is, and no operand") {
  CLI::App app{"", "prog"};
  cli::configure(app, {"prog [flags] FILE...", "", ""});
  std::string dir, file, path, count;
  std::vector<std::string> files;
  bool loud = false;
  app.add_option("--state-dir", dir)->type_name("DIR");
  app.add_option("--junit", file)->type_name("FILE");
  app.add_option("--socket", path)->type_name("PATH");
  app.add_option("-j,--jobs", count)->type_name("N");
  app.add_flag("--loud", loud);
  app.add_option("files", files)->group("");

  const cli::command_words words = cli::describe(app);
  CHECK(words.program == "prog");
  CHECK(words.verbs.empty());
  CHECK(words.flags.size() == 9);  // -h, --help, --version and the six below
  CHECK(value_of(words.flags, "--help") == cli::value_kind::none);
  CHECK(value_of(words.flags, "-h") == cli::value_kind::none);
  CHECK(value_of(words.flags, "--version") == cli::value_kind::none);
  CHECK(value_of(words.flags, "--state-dir") == cli::value_kind::directory);
  CHECK(value_of(words.flags, "--junit") == cli::value_kind::file);
  CHECK(value_of(words.flags, "--socket") == cli::value_kind::file);
  CHECK(value_of(words.flags, "-j") == cli::value_kind::text);
  CHECK(value_of(words.flags, "--jobs") == cli::value_kind::text);
  CHECK(value_of(words.flags, "--loud") == cli::value_kind::none);
  CHECK_FALSE(value_of(words.flags, "files"));
  CHECK_FALSE(value_of(words.flags, "--files"));
}

TEST_CASE("describe: subcommands are verbs with their own flags, and their parent's when they fall through") {
  CLI::App app{"", "prog"};
  cli::configure(app, {"prog VERB", "", ""});
  std::string url, dsn, id;
  app.add_option("--url", url)->type_name("https://HOST:PORT");
  app.fallthrough();
  CLI::App* job = app.add_subcommand("create-job");
  job->add_option("--dsn", dsn);
  CLI::App* oem = app.add_subcommand("create-oem");
  oem->add_option("--id", id);
  oem->fallthrough(false);

  const cli::command_words words = cli::describe(app);
  REQUIRE(words.verbs.size() == 2);
  CHECK(words.verbs[0].name == "create-job");
  CHECK(words.verbs[0].actions.empty());
  CHECK(value_of(words.verbs[0].flags, "--dsn") == cli::value_kind::text);
  CHECK(value_of(words.verbs[0].flags, "--url") == cli::value_kind::text);
  CHECK(std::count_if(words.verbs[0].flags.begin(), words.verbs[0].flags.end(),
                      [](const cli::flag_word& f) { return f.name == "--help"; }) == 1);
  CHECK(words.verbs[1].name == "create-oem");
  CHECK(value_of(words.verbs[1].flags, "--id") == cli::value_kind::text);
  CHECK_FALSE(value_of(words.verbs[1].flags, "--url"));
}
