#pragma once
// How our programs exit: one meaning per code for every daemon and CLI, and the error that says why a program
// stops before its work (the line it prints, the code it exits with).
#include <string>
#include <utility>

namespace common {

enum class exit_code : int {
  ok = 0,
  failed = 1,  // the program could not do its work: a file, a port, the service
  usage = 2,   // the command line is to blame: a bad, missing or conflicting flag
};

constexpr int exit_status(exit_code code) { return static_cast<int>(code); }

// Why a program stops early: `reason` is its one line for stderr, `code` how it exits.
struct exit_error {
  exit_code code = exit_code::failed;
  std::string reason;
};

inline exit_error failed(std::string reason) { return {exit_code::failed, std::move(reason)}; }
inline exit_error usage_error(std::string reason) { return {exit_code::usage, std::move(reason)}; }

}  // namespace common
