#include "fleet/fleet_scenarios.hpp"

#include "scenario/case_runner.hpp"
#include "scenario/scenario_parser.hpp"

namespace fleet {

namespace {

// Why a fleet's module cannot take this step, or empty when it can.
std::string refusal(const scenario::step& step) {
  switch (step.kind) {
    case scenario::step_kind::world:
      return "a fleet's module takes no world: step (it has no control API; the fleet file's faults change its world)";
    case scenario::step_kind::module:
      return "a fleet's module takes no module: step (the fleet runs it; the fleet file's faults cut its power)";
    case scenario::step_kind::program_start:
    case scenario::step_kind::program_exit:
    case scenario::step_kind::program_output:
      return "a fleet's module takes no program under test (the scenario is its host)";
    default: return {};
  }
}

// Why a fleet's module cannot run this case as it is set, or empty.
std::string refusal(const scenario::case_settings& settings) {
  if (!settings.port.empty()) return "a fleet's module is on the fleet's own port: the case names no port";
  if (settings.cloud != scenario::cloud_kind::embedded)
    return "a fleet's module talks to the fleet's device service: the case has no cloud of its own";
  const std::vector<std::string> always_on = {"--network", "auto"};
  if (!settings.module_args.empty() && settings.module_args != always_on)
    return "a fleet's module takes no sim7600-emu flags (it is always on the network: --network auto is all)";
  return {};
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

common::outcome<std::map<std::size_t, scenario::scenario_file>> load_group_scenarios(const fleet_file& file) {
  std::map<std::size_t, scenario::scenario_file> scenarios;
  for (std::size_t g = 0; g < file.groups.size(); ++g) {
    const group& one = file.groups[g];
    if (one.host != host_kind::scenario) continue;
    auto loaded = scenario::load_scenario(one.scenario_file);
    if (!loaded.ok()) return common::failure{loaded.error().reason};
    for (const scenario::scenario_case& c : loaded.value().cases) {
      if (const std::string why = refusal(c.settings); !why.empty())
        return common::failure{c.where.text() + ": " + why};
      for (const scenario::step& step : c.steps)
        if (const std::string why = refusal(step); !why.empty()) return common::failure{step.where.text() + ": " + why};
    }
    scenarios.emplace(g, std::move(loaded).value());
  }
  return scenarios;
}

scenario_end run_scenario_case(const scenario::scenario_file& file, std::size_t index, const std::string& port,
                               const std::string& dsn, const scenario_cloud& cloud) {
  scenario::scenario_case one = file.cases.at(index);
  one.settings.port = port;
  one.settings.module_args.clear();
  one.settings.cloud = scenario::cloud_kind::running;
  one.settings.cloud_url = cloud.url;
  one.settings.cloud_ca = cloud.ca_file;
  one.settings.cloud_token_file = cloud.token_file;
  const scenario::case_result result = scenario::run_case(one, file.path, {{"dsn", dsn}});
  if (result.passed) return {true, {}, {}};
  return {false, first_line(result.message),
          result.message + "\n  what the port said in case '" + one.name + "':\n" + result.port_output};
}

}  // namespace fleet
