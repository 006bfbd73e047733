// The world's steps (`world: coverage lost`): the emulator's control API, SPEC §7.
#include "tools/sim7600-scenario/case_context.hpp"
#include "tools/sim7600-scenario/control_client.hpp"

namespace scenario {

step_result run_world_step(case_context& context, const step& step) {
  if (!context.module) return context.fail(step, "world steps need an emulator this run started (not a running port)");
  auto line = substitute(step.text, context.vars);
  if (!line.ok()) return context.fail(step, line.error());
  const auto reply = control_call((context.module->state_dir() / "control.sock").string(), line.value(), context.timeout);
  if (reply.status >= 200 && reply.status < 300) return done{};
  return context.fail(step, "world " + line.value() + " was refused" +
                                (reply.status ? " (" + std::to_string(reply.status) + ")" : "") + ": " + reply.body);
}

}  // namespace scenario
