#pragma once
// bash_completion: a program's bash completion script, rendered from its command-line words (cli/command_words).
// Pure: words in, the script's text out.
#include <string>

#include "cli/command_words.hpp"

namespace completion {

// The script bash-completion loads for `words.program`: it defines _<program> (dashes as underscores) and registers
// it with `complete`. It offers the verbs, a verb's sub-words, the flags accepted where the cursor is (on '-'),
// files or directories for a flag whose value is one, and files for the operands of a program without verbs.
std::string bash_completion(const cli::command_words& words);

}  // namespace completion
