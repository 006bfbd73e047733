#pragma once
// cli: what every program's command line shares, on CLI11 — one --help layout, --version, `--flag value` and
// `--flag=value` alike, a bad flag turned into the one-line reason the program exits 2 with, and what a program
// answers without doing its work (help, version, a refused line). Sans-I/O apart from answer(), which writes on the
// streams it is given: the programs' parsers build a CLI::App with it and stay testable.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/exit_code.hpp"
#include "common/result.hpp"

namespace cli {

// What a command line asks for when it parses: run the program, or print its help or its version.
enum class request { run, help, version };

// A parsed command line: what it asks for, and (for run) the program's arguments. Each program's parser returns
// common::outcome<command_line<its arguments>>, the error being the one-line reason the line is refused (exit 2).
template <class Args>
struct command_line {
  request what = request::run;
  Args args;
};

// How a program words the mistakes CLI11 finds before the program's own checks. Several programs' reasons are
// older than this library and scripts match them, so each keeps its own words.
struct wording {
  // An argument that no flag or operand takes; `verb` is the subcommand it followed ("" before any). Unset: the
  // program reads the extra arguments itself (a verb's words), none is refused here.
  std::function<std::string(const std::string& argument, const std::string& verb)> unknown =
      [](const std::string& argument, const std::string&) { return "unknown flag '" + argument + "' (see --help)"; };
  // A flag that ends the line without its value; "{}" stands for the flag.
  std::string missing_value = "{} wants a value";
};

// The program's --help text around its flags: `synopsis` after "usage: ", `description` below it, `footer` last.
struct help_text {
  std::string synopsis;
  std::string description;
  std::string footer;
};

// Sets `app` up as one of ours: the help layout, -h/--help, --version, a flag given twice keeps its last value.
// Call before adding flags (subcommands take the settings when they are added).
void configure(CLI::App& app, const help_text& help);

// Parses `args` (without the program name); the error is the one-line reason (exit 2). --help and --version win
// over any mistake elsewhere on the line.
common::result<request, common::failure> parse(CLI::App& app, std::vector<std::string> args,
                                               const wording& words = {});

// "<program> <version>", the project version CMake sets.
std::string version_line(std::string_view program);

// What main() does before running: prints the help (`usage()`) or the version on `out` (exit 0), or
// "<program>: <reason>" on `err` (exit 2), and returns that exit code; nullopt when the program should run.
std::optional<common::exit_code> answer(std::string_view program, request asked, const std::string* reason,
                                        const std::function<std::string()>& usage, std::ostream& out,
                                        std::ostream& err);

template <class Args>
std::optional<common::exit_code> answer(const common::outcome<command_line<Args>>& parsed, std::string_view program,
                                        const std::function<std::string()>& usage, std::ostream& out,
                                        std::ostream& err) {
  if (!parsed) return answer(program, request::run, &parsed.error().reason, usage, out, err);
  return answer(program, parsed->what, nullptr, usage, out, err);
}

}  // namespace cli
