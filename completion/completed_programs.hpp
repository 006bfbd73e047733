#pragma once
// completed_programs: the programs that ship a bash completion, each with where its words come from. A new program
// (sim7600-fleet) gets a row here and its name in completion/CMakeLists.txt's list.
#include <string_view>
#include <vector>

#include "cli/command_words.hpp"

namespace completion {

struct completed_program {
  std::string_view name;
  cli::command_words (*words)();
};

const std::vector<completed_program>& completed_programs();

}  // namespace completion
