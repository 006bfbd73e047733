// The world's steps (`world: coverage lost`): the emulator's control API, SPEC §7, read by sim7600-ctl's own verb
// table and sent by its client, so a scenario line and a sim7600-ctl command line mean the same request.
// `world: {expect: {...}}` waits until the world's state (`sim7600-ctl state`) holds that subset: how a case knows
// where a program under test has got to (its data call dialling, the agent started) before it strikes.
#include "control/control_client.hpp"
#include "control/control_verbs.hpp"
#include "scenario/case_context.hpp"
#include "scenario/world_words.hpp"

namespace scenario {

namespace {

sim7600_ctl::control_endpoint control_socket(const case_context& context) {
  return {.socket_path = (context.module->state_dir() / "control.sock").string(), .host = {}, .port = {}, .token_file = {}};
}

step_result expect_state(case_context& context, const step& step) {
  const nlohmann::json& wanted = step.args["expect"];
  const sim7600_control::control_request request{"GET", "/v1/state", nlohmann::json::object()};
  return until_holds(context, step, [&]() -> std::optional<std::string> {
    const auto reply = sim7600_ctl::call_control(control_socket(context), request, context.timeout);
    if (!reply) return "expected the world to hold " + wanted.dump() + "; it is " + reply.error().reason;
    const auto state = nlohmann::json::parse(reply->body, nullptr, false);
    if (reply->status == 200 && holds_subset(state, wanted)) return std::nullopt;
    return "expected the world to hold " + wanted.dump() + "; it is " + reply->body;
  });
}

}  // namespace

step_result run_world_step(case_context& context, const step& step) {
  if (!context.module) return context.fail(step, "world steps need an emulator this run started (not a running port)");
  if (step.args.is_object()) return expect_state(context, step);
  auto line = substitute(step.text, context.vars);
  if (!line.ok()) return context.fail(step, line.error().reason);
  auto words = world_words(line.value());
  if (!words.ok()) return context.fail(step, words.error().reason);
  auto request = sim7600_control::parse_command(words.value());
  if (!request) return context.fail(step, "world " + line.value() + ": " + request.error().reason);
  const auto reply = sim7600_ctl::call_control(control_socket(context), request.value(), context.timeout);
  if (!reply) return context.fail(step, "world " + line.value() + " was refused: " + reply.error().reason);
  if (reply->status >= 200 && reply->status < 300) return done{};
  return context.fail(step, "world " + line.value() + " was refused (" + std::to_string(reply->status) + "): " +
                                reply->body);
}

}  // namespace scenario
