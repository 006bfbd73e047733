#pragma once
// The scenario model: what a scenario file says, after parsing, before anything runs (docs: scenarios/README.md).
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace scenario {

// Where a step was written, for failure messages: "scenarios/ota.yaml:42".
struct source_place {
  std::string file;
  int line = 0;
  std::string text() const { return file + ":" + std::to_string(line); }
};

enum class step_kind {
  send,               // host: `> LINE` — the line and a CR on the port
  expect_next,        // host: `< PATTERN` — the next line the module sends matches
  expect_eventually,  // host: `<... PATTERN` — some line within the deadline matches (others are passed over)
  set_timeout,        // `timeout: 30s` — the deadline of every later wait in the case
  cloud,              // `cloud: {...}` — the device service's admin API
  world,              // `world: coverage lost` — the emulator's control API (SPEC §7)
  module,             // `module: restart` — the emulated module's process
  program_start,      // `program: [argv...]` — the host program under test, given the port
  program_exit,       // `exit: 0` — the program ends with this status (and output) within the deadline
  program_output,     // `output: PATTERN` — the running program has printed a line that matches (it may go on)
};

struct step {
  step_kind kind = step_kind::send;
  std::string text;   // the line, the pattern, or the world/module verb line
  nlohmann::json args;  // cloud and program steps: the YAML value as JSON; set_timeout: milliseconds
  source_place where;
};

// Which device service a case's module talks to.
enum class cloud_kind {
  embedded,  // the ads-sim inside sim7600-emu (no --ads-url): the module is factory-provisioned for it
  separate,  // a fresh ads-sim process per case (it can be killed and restarted); the module is not provisioned
  running,   // one already running, named by `cloud: {url, ca, token_file}`
};

struct case_settings {
  std::vector<std::string> module_args;  // extra sim7600-emu flags
  std::string port;                      // a running module's port: no emulator is started
  cloud_kind cloud = cloud_kind::embedded;
  std::string cloud_url, cloud_ca, cloud_token_file;  // cloud_kind::running
  std::chrono::milliseconds timeout{10000};
};

struct scenario_case {
  std::string name;
  case_settings settings;
  std::vector<step> steps;
  source_place where;
};

struct scenario_file {
  std::string path;
  std::vector<scenario_case> cases;
};

}  // namespace scenario
