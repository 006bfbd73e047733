#include "scenario/case_runner.hpp"

#include <map>

#include "scenario/case_context.hpp"

namespace scenario {

namespace {

using clock_type = std::chrono::steady_clock;

step_result set_timeout(case_context& context, const step& step) {
  context.timeout = milliseconds(step.args.get<std::int64_t>());
  return done{};
}

using step_runner = step_result (*)(case_context&, const step&);

const std::map<step_kind, step_runner> step_runners = {
    {step_kind::send, run_host_step},          {step_kind::expect_next, run_host_step},
    {step_kind::expect_eventually, run_host_step}, {step_kind::set_timeout, set_timeout},
    {step_kind::cloud, run_cloud_step},        {step_kind::world, run_world_step},
    {step_kind::program_output, run_program_step},
    {step_kind::module, run_module_step},      {step_kind::program_start, run_program_step},
    {step_kind::program_exit, run_program_step},
};

// The case's module (and device service, if it has its own), booted, with the host on its port.
outcome<done> set_up(case_context& context) {
  const case_settings& settings = context.spec.settings;
  if (settings.cloud == cloud_kind::separate) {
    context.service = std::make_unique<e2e::device_service>();
    context.vars["cloud_url"] = context.service->url();
    context.vars["cloud_ca"] = context.service->ca_file().string();
  }
  if (!settings.port.empty()) {
    auto port = substitute(settings.port, context.vars);
    if (!port.ok()) return failure{"module port: " + port.error().reason};
    context.port_path = port.value();
    context.vars["port"] = context.port_path;
    return attach_port(context, false);
  }
  // The flags may name --var values and the case's own service ({cloud_url}, {cloud_ca}).
  std::vector<std::string> args;
  for (const auto& written : settings.module_args) {
    auto arg = substitute(written, context.vars);
    if (!arg.ok()) return failure{"module args: " + arg.error().reason};
    args.push_back(arg.value());
  }
  if (context.service)
    args.insert(args.end(), {"--ads-url", context.service->url(), "--ads-ca", context.service->ca_file().string()});
  if (settings.cloud == cloud_kind::running)
    args.insert(args.end(), {"--ads-url", settings.cloud_url, "--ads-ca", settings.cloud_ca});
  context.module = std::make_unique<e2e::emulator>(args);
  context.port_path = context.module->link().string();
  context.vars["port"] = context.port_path;
  context.vars["state_dir"] = context.module->state_dir().string();
  return attach_port(context, true);
}

// The first failure's message, or "" when every step passed; `step_seconds` is the steps' own time.
std::string run_steps(case_context& context, double& step_seconds) {
  auto ready = set_up(context);
  if (!ready.ok()) return ready.error().reason;
  const auto started = clock_type::now();
  struct stopwatch {
    clock_type::time_point started;
    double& seconds;
    ~stopwatch() { seconds = std::chrono::duration<double>(clock_type::now() - started).count(); }
  } timing{started, step_seconds};
  for (const step& step : context.spec.steps) {
    try {
      auto done = step_runners.at(step.kind)(context, step);
      if (!done.ok()) return done.error().reason;
    } catch (const std::exception& error) {  // the harness throws when a process or a port fails under it
      return context.fail(step, error.what()).reason;
    }
  }
  return {};
}

}  // namespace

case_result run_case(const scenario_case& spec, const std::string& file, const variables& given) {
  const auto started = clock_type::now();
  case_result result{file, spec.name, false, {}, 0, 0, {}};
  {
    case_context context(spec);
    context.vars = given;
    try {
      result.message = run_steps(context, result.step_seconds);
    } catch (const std::exception& error) {  // setting up: a daemon that did not start
      result.message = spec.where.text() + ": " + error.what();
    }
    result.port_output = context.lines.all_text();
  }  // the module, the service and any program are gone before the time is taken
  result.passed = result.message.empty();
  result.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  return result;
}

}  // namespace scenario
