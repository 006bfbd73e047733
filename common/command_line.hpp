#pragma once
// What a program's command line asks for, and the answer a program gives without doing its work: the usage text for
// --help (exit 0), or the one-line reason its flags are refused (exit 2). Each program's parser fills `args`.
#include <optional>
#include <ostream>
#include <string_view>

#include "common/exit_code.hpp"
#include "common/result.hpp"

namespace common {

// Run with `args`, or (--help) print the usage text and exit 0.
template <class Args>
struct command_line {
  enum class action { run, show_help };
  action what = action::run;
  Args args;
};

// Prints "<program>: <reason>" on `err` for refused flags (exit 2) or the usage text on `out` for --help (exit 0);
// nullopt when the command line asks for the program's work.
template <class Args>
std::optional<exit_code> answer_without_work(const outcome<command_line<Args>>& parsed, std::string_view program,
                                             std::string_view usage, std::ostream& out, std::ostream& err) {
  if (!parsed) {
    err << program << ": " << parsed.error().reason << "\n";
    return exit_code::usage;
  }
  if (parsed->what == command_line<Args>::action::show_help) {
    out << usage;
    return exit_code::ok;
  }
  return std::nullopt;
}

}  // namespace common
