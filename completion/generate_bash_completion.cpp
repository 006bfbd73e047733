// generate-bash-completion PROGRAM FILE: writes PROGRAM's bash completion to FILE. Run by the build (never
// installed), so the shipped completions are made from the programs' own command-line tables.
#include <cstdio>
#include <fstream>
#include <string>

#include "completion/bash_completion.hpp"
#include "completion/completed_programs.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: generate-bash-completion PROGRAM FILE\n");
    return 2;
  }
  const std::string program = argv[1];
  for (const auto& row : completion::completed_programs()) {
    if (row.name != program) continue;
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << completion::bash_completion(row.words());
    if (!out) {
      std::fprintf(stderr, "generate-bash-completion: cannot write %s\n", argv[2]);
      return 1;
    }
    return 0;
  }
  std::fprintf(stderr, "generate-bash-completion: no completion for '%s' (completion/completed_programs.cpp)\n",
               program.c_str());
  return 2;
}
