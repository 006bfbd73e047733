#pragma once
// command_words: the words a shell may complete on a program's command line — its flags (and what each flag's value
// is), its verbs with their sub-words and flags — read from the program's own CLI::App, so a completion generated
// from them cannot drift from what the program accepts. Pure.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cli {

// What follows a flag: nothing (a switch), a file, a directory, or other text (a number, a URL, a token).
enum class value_kind { none, file, directory, text };

struct flag_word {
  std::string name;  // "--state-dir", "-j"
  value_kind value = value_kind::none;
};

// A verb: its sub-words ("cloud cut", "sim remove"), empty when it takes none, and the flags accepted after it.
struct verb_word {
  std::string name;
  std::vector<std::string> actions;
  std::vector<flag_word> flags;
  bool file_operands = false;  // its operands are files (an operand named ...FILE or ...PATH)
};

// A program's words: the flags before any verb, and its verbs (none for a program that takes files instead).
struct command_words {
  std::string program;
  std::vector<flag_word> flags;
  std::vector<verb_word> verbs;
  bool file_operands = false;  // with verbs: a file may stand where a verb does (sim7600-fleet's FLEET-FILE)
};

// The kind of value a flag takes, from the name its --help shows for it: DIR a directory, FILE or PATH a file.
value_kind value_kind_of(const std::string& type_name);

// The flags of `app` (set up by configure(): --help and --version included) and its subcommands as verbs; a verb
// whose subcommand falls through to its parent also takes the parent's flags.
command_words describe(const CLI::App& app);

}  // namespace cli
