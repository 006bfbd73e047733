#include "scenario/command_line.hpp"

#include <charconv>

namespace scenario {

namespace {

// The flags as given, before they are checked.
struct given_flags {
  std::optional<std::string> jobs;
  std::vector<std::string> variables;
};

void add_flags(CLI::App& app, options& out, given_flags& given) {
  cli::configure(app, {"sim7600-scenario [flags] SCENARIO.yaml...\n"
                       "       sim7600-scenario --from-transcript TRANSCRIPT > SCENARIO.yaml",
                       "Runs scenario files (format: scenarios/README.md), each case against a fresh sim7600-emu (and "
                       "ads-sim),\nprints one line per case and 'N passed, M failed'; exits 0 only when every case "
                       "passed.",
                       ""});
  app.add_option("--junit", out.junit_file, "also write the results as JUnit XML (GitLab, GitHub and Jenkins read it)")
      ->type_name("FILE");
  app.add_flag("--keep-going", out.keep_going, "run every case even after one failed (default: stop starting new ones)");
  app.add_option("-j", given.jobs, "run N cases at once (1..64), one emulator each")->type_name("N");
  app.add_option("--var", given.variables, "{NAME} is VALUE in every case (a firmware's path, a server's address)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--from-transcript", out.from_transcript,
                 "turn a `sim7600-emu --transcript` capture into a scenario replaying it (stdout)")
      ->type_name("FILE");
  app.add_option("files", out.files, "scenario files")
      ->type_name("SCENARIO.yaml")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("");  // named in the synopsis
}

// sim7600-scenario's reasons are older than CLI11 and CI logs match them.
const cli::wording words = {
    [](const std::string& argument, const std::string&) { return "unknown flag " + argument + " (see --help)"; },
    "{} wants a value"};

}  // namespace

std::string usage_text() {
  options out;
  given_flags given;
  CLI::App app("", "sim7600-scenario");
  add_flags(app, out, given);
  return app.help();
}

cli::command_words completion_words() {
  options out;
  given_flags given;
  CLI::App app("", "sim7600-scenario");
  add_flags(app, out, given);
  return cli::describe(app);
}

outcome<command_line> parse_command_line(const std::vector<std::string>& args) {
  command_line result;
  given_flags given;
  CLI::App app("", "sim7600-scenario");
  add_flags(app, result.args, given);
  const auto parsed = cli::parse(app, args, words);
  if (!parsed) return parsed.error();
  result.what = *parsed;
  if (result.what != cli::request::run) return result;
  options& out = result.args;
  if (given.jobs) {
    const std::string& text = *given.jobs;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out.jobs);
    if (error != std::errc() || end != text.data() + text.size() || out.jobs < 1 || out.jobs > 64)
      return failure{"-j wants a number of cases from 1 to 64, got '" + text + "'"};
  }
  for (const std::string& variable : given.variables) {
    const auto equals = variable.find('=');
    if (equals == std::string::npos || equals == 0) return failure{"--var wants NAME=VALUE, got '" + variable + "'"};
    out.variables[variable.substr(0, equals)] = variable.substr(equals + 1);
  }
  if (out.from_transcript.empty() && out.files.empty()) return failure{"no scenario file given (see --help)"};
  if (!out.from_transcript.empty() && !out.files.empty()) return failure{"--from-transcript takes no scenario files"};
  return result;
}

}  // namespace scenario
