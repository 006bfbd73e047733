#pragma once
// Splitting the text of an AT command line (what follows "AT") into at_commands: concatenated basic commands
// (E0V1&FS3=13I) and ';'-separated extended ones (+CSQ;+CREG?).
#include <string_view>
#include <vector>

#include "agent/at_command.hpp"

namespace agent {

struct command_line {
  std::vector<at_command> commands;  // in order, up to the first malformed one
  bool malformed = false;            // the text after `commands` is not a valid command: answer ERROR there
};

// Names are upper-cased, spaces outside quotes dropped, quoted text kept verbatim. Control bytes, NUL and bytes
// >= 0x80 outside quotes, and an unterminated quote, make the line malformed from the command containing them.
command_line split_command_line(std::string_view text);

}  // namespace agent
