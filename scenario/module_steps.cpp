// The module's process (`module: restart`): what a power switch and a serial cable do to a real one. The host
// (the runner, or a program under test) sees the port go away and a module boot again.
#include <functional>
#include <map>

#include "scenario/case_context.hpp"

namespace scenario {

namespace {

using action = std::function<void(e2e::emulator&)>;

const std::map<std::string, action>& module_actions() {
  static const std::map<std::string, action> actions = {
      {"restart", [](e2e::emulator& module) { module.restart(); }},                      // SIGTERM, start again
      {"power-cycle", [](e2e::emulator& module) { module.kill_hard(), module.start(); }},  // kill -9, start again
      {"reconnect", [](e2e::emulator&) {}},                                                // the host reopens the port
  };
  return actions;
}

}  // namespace

step_result run_module_step(case_context& context, const step& step) {
  const auto found = module_actions().find(step.text);
  if (found == module_actions().end())
    return context.fail(step, "module step is restart, power-cycle or reconnect, not '" + step.text + "'");
  if (!context.module) return context.fail(step, "module steps need an emulator this run started");
  context.port.reset();
  found->second(*context.module);
  if (context.program && context.program->running()) return done{};  // the program finds the module again itself
  auto attached = attach_port(context, step.text != "reconnect");
  if (!attached.ok()) return context.fail(step, attached.error().reason);
  return done{};
}

}  // namespace scenario
