// A host program under test:
//   - program: [./build/host-mcu, --port, "{port}"]          (or {argv: [...], env: {NAME: value}})
//   - output: "/led=\\d/"                                     the running program has printed a matching line (waits)
//   - exit: 0                                                 (or {status: 0, output: ["ready", "/done .*/"]}: in order)
// The program gets SIM7600_PORT={port} in its environment and owns the port until it exits.
#include "scenario/case_context.hpp"

namespace scenario {

namespace {

using nlohmann::json;

outcome<std::vector<std::string>> words(const json& list, const variables& known) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    auto word = substitute(item.is_string() ? item.get<std::string>() : item.dump(), known);
    if (!word.ok()) return word.error();
    out.push_back(word.value());
  }
  return out;
}

step_result start_program(case_context& context, const step& step) {
  const json argv_list = step.args.is_array() ? step.args : step.args.value("argv", json());
  if (!argv_list.is_array() || argv_list.empty()) return context.fail(step, "program is [argv...] or {argv: [...], env: {...}}");
  auto argv = words(argv_list, context.vars);
  if (!argv.ok()) return context.fail(step, argv.error().reason);
  std::vector<std::string> environment = {"SIM7600_PORT=" + context.port_path};
  if (step.args.is_object() && step.args.contains("env")) {
    for (const auto& [name, value] : step.args["env"].items()) {
      auto text = substitute(value.is_string() ? value.get<std::string>() : value.dump(), context.vars);
      if (!text.ok()) return context.fail(step, text.error().reason);
      environment.push_back(name + "=" + text.value());
    }
  }
  context.port.reset();  // the program is the host now
  context.program = std::make_unique<host_program>(argv.value(), environment);
  return done{};
}

step_result program_exit(case_context& context, const step& step) {
  if (!context.program) return context.fail(step, "exit: no program was started");
  const json& args = step.args;
  const int wanted = args.is_number_integer() ? args.get<int>() : args.value("status", 0);
  const auto status = context.program->wait(context.timeout);
  const std::string output = context.program->output();
  if (!status) return context.fail(step, "the program did not exit within the deadline");
  if (*status != wanted)
    return context.fail(step, "the program exited " + std::to_string(*status) + ", expected " + std::to_string(wanted) +
                                  (*status == 127 ? " (127: not found or not executable?)" : ""));
  // Each pattern matches a line after the one the pattern before it matched: output is checked in order.
  const json patterns = args.is_object() ? args.value("output", json::array()) : json::array();
  port_lines output_lines;
  output_lines.feed(output + "\n");
  for (const auto& written : patterns.is_array() ? patterns : json::array({patterns})) {
    auto pattern = line_pattern::compile(written.get<std::string>(), context.vars);
    if (!pattern.ok()) return context.fail(step, pattern.error().reason);
    std::optional<variables> captured;
    while (!captured) {
      const auto line = output_lines.next();
      if (!line) return context.fail(step, "no line of the program's output (in order) is `" + written.get<std::string>() + "`");
      captured = pattern.value().match(*line);
    }
    context.vars.merge(*captured);
  }
  return done{};
}

// How a case knows where the program under test has got to (its LED driven, a refusal met) before it acts again.
step_result program_output(case_context& context, const step& step) {
  if (!context.program) return context.fail(step, "output: no program was started");
  auto pattern = line_pattern::compile(step.text, context.vars);
  if (!pattern.ok()) return context.fail(step, pattern.error().reason);
  return until_holds(context, step, [&]() -> std::optional<std::string> {
    port_lines lines;
    lines.feed(context.program->output() + "\n");
    while (const auto line = lines.next()) {
      if (auto captured = pattern.value().match(*line)) {
        context.vars.merge(*captured);
        return std::nullopt;
      }
    }
    return "the program printed no line `" + step.text + "` (it printed: " + context.program->output() + ")";
  });
}

}  // namespace

step_result run_program_step(case_context& context, const step& step) {
  switch (step.kind) {
    case step_kind::program_start: return start_program(context, step);
    case step_kind::program_output: return program_output(context, step);
    default: return program_exit(context, step);
  }
}

}  // namespace scenario
