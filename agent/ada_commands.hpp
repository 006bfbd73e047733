#pragma once
// The AT+ADA command: its grammar as a declarative table of sub-commands, dispatched to apca::service.
#include <functional>
#include <string>
#include <string_view>

#include "agent/command_table.hpp"

namespace apca {
class service;
}

namespace agent {

// Registers "+ADA" in `table`. `complete_held` ends a command whose handler returned command_result::held()
// (for example a `cs` that answers OK only once the config is durable).
void add_ada_commands(command_table& table, apca::service& service,
                      std::function<void(command_result)> complete_held);

// The command line with secrets replaced by "***" (oem/secret and id/key values of cs, sign parts, setup_mode
// passphrases), for transcripts and logs. Other text is unchanged.
std::string mask_ada_secrets(std::string_view line);

}  // namespace agent
