#pragma once
// The AT+ADA table on a service with fake ports: run(`"cs","oem/id","x"`) gives what the handler answered.
#include <optional>
#include <string>
#include <vector>

#include "agent/ada_commands.hpp"
#include "agent/at_command.hpp"
#include "tests/unit/apca/service_rig.hpp"

namespace ada_test {

struct ada_rig : apca_test::service_rig {
  agent::command_table table;
  std::vector<agent::command_result> completed;  // results of held commands, in order

  explicit ada_rig(config_store::nv_image image = {}) : apca_test::service_rig(std::move(image)) {
    agent::add_ada_commands(table, service,
                            [this](agent::command_result result) { completed.push_back(std::move(result)); });
  }

  agent::command_result command(agent::at_command::form kind, std::string args = {}) {
    const auto* handler = table.find("+ADA");
    REQUIRE(handler);
    return (*handler)(agent::at_command{"+ADA", kind, std::move(args)});
  }
  // AT+ADA=<args> (args as the engine passes them: spaces outside quotes removed).
  agent::command_result run(std::string args) { return command(agent::at_command::form::set, std::move(args)); }

  // Runs a command whose answer may wait for NV: lets NV finish, returns the final answer.
  agent::command_result run_saved(std::string args, bool save_ok = true) {
    auto result = run(std::move(args));
    if (result.final != agent::final_result::held) return result;
    REQUIRE(completed.empty());
    nv.finish_all(save_ok);
    REQUIRE(completed.size() == 1);
    auto done = std::move(completed.front());
    completed.clear();
    return done;
  }
};

inline bool is_ok(const agent::command_result& result, std::vector<std::string> lines = {}) {
  return result.final == agent::final_result::ok && result.lines == lines;
}

// The error answer: one +ADA error line, then ERROR.
inline std::string error_line(const agent::command_result& result) {
  if (result.final != agent::final_result::error || result.lines.size() != 1) return "(not an ADA error)";
  return result.lines.front();
}

}  // namespace ada_test
