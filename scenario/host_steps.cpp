// The host's steps: a line sent on the port, a line expected next, a line waited for.
#include <chrono>

#include "scenario/case_context.hpp"

namespace scenario {

namespace {

using clock_type = std::chrono::steady_clock;

std::string seconds_text(milliseconds span) {
  return span.count() % 1000 ? std::to_string(span.count()) + "ms" : std::to_string(span.count() / 1000) + "s";
}

step_result send_line(case_context& context, const step& step) {
  auto port = context.host_end(step);
  if (!port.ok()) return port.error();
  auto line = substitute(step.text, context.vars);
  if (!line.ok()) return context.fail(step, line.error().reason);
  port.value()->send(line.value() + "\r");
  context.last_sent = line.value();
  context.echo_pending = true;
  return done{};
}

// The next line matches; the echo of the line just sent may come first and is passed over.
step_result expect_line(case_context& context, const step& step, bool next_only) {
  auto port = context.host_end(step);
  if (!port.ok()) return port.error();
  auto pattern = line_pattern::compile(step.text, context.vars);
  if (!pattern.ok()) return context.fail(step, pattern.error().reason);
  const auto deadline = clock_type::now() + context.timeout;
  for (;;) {
    std::optional<std::string> line;
    while (!(line = context.lines.next())) {
      if (!context.read_more(deadline))
        return context.fail(step, "expected `" + step.text + "`, nothing matching came within " +
                                      seconds_text(context.timeout));
    }
    const bool echo = context.echo_pending && *line == context.last_sent;
    context.echo_pending = false;
    if (auto captured = pattern.value().match(*line)) {
      context.vars.merge(*captured);
      return done{};
    }
    if (next_only && !echo) return context.fail(step, "expected `" + step.text + "`, got `" + port_lines::shown(*line) + "`");
  }
}

}  // namespace

step_result run_host_step(case_context& context, const step& step) {
  switch (step.kind) {
    case step_kind::send: return send_line(context, step);
    case step_kind::expect_next: return expect_line(context, step, true);
    case step_kind::expect_eventually: return expect_line(context, step, false);
    default: return context.fail(step, "not a host step");
  }
}

}  // namespace scenario
