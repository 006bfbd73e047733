#pragma once
// sim7600-scenario's flags, read by CLI11 (cli/) (pure: argv in, options or a one-line reason out).
#include <map>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/command_words.hpp"
#include "scenario/outcome.hpp"

namespace scenario {

struct options {
  std::vector<std::string> files;
  std::string junit_file;       // --junit FILE
  bool keep_going = false;      // --keep-going: run every case even after one failed
  int jobs = 1;                 // -j N: cases at once, one emulator each
  std::string from_transcript;  // --from-transcript FILE: print a replaying scenario instead of running
  std::map<std::string, std::string> variables;  // --var NAME=VALUE: set in every case ({NAME})
};

// Run with the options, or print usage_text() or the version (--help and --version win over a bad flag).
using command_line = cli::command_line<options>;
outcome<command_line> parse_command_line(const std::vector<std::string>& args);
std::string usage_text();
cli::command_words completion_words();  // its flags (it takes files, no verbs)

}  // namespace scenario
