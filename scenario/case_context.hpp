#pragma once
// What a running case holds — its module, the host's end of the port, the device service, a program under test,
// the variables captured so far — and the step runners that act on it (one file per kind of step).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/admin_client.hpp"
#include "harness/harness.hpp"
#include "scenario/host_program.hpp"
#include "scenario/line_pattern.hpp"
#include "scenario/outcome.hpp"
#include "scenario/port_lines.hpp"
#include "scenario/scenario.hpp"

namespace scenario {

using std::chrono::milliseconds;
using step_result = outcome<done>;

struct case_context {
  explicit case_context(const scenario_case& spec) : spec(spec), timeout(spec.settings.timeout) {}

  const scenario_case& spec;
  std::unique_ptr<e2e::device_service> service;  // cloud: separate
  std::unique_ptr<e2e::emulator> module;         // empty when the file names a running module's port
  std::optional<e2e::host_port> port;            // closed while a program under test owns it
  std::string port_path;
  port_lines lines;
  variables vars;
  milliseconds timeout;
  std::unique_ptr<host_program> program;
  std::string last_sent;      // the module echoes it first (with echo on): an expectation may pass over it once
  bool echo_pending = false;

  // A failure of `at`: "file:line: why", then the last lines seen on the port.
  failure fail(const step& at, const std::string& why) const;
  // Reads what the module sends until the deadline or a line ends; false when nothing came in time.
  bool read_more(std::chrono::steady_clock::time_point deadline);
  // The host's end of the port, opened again if a program had it.
  outcome<e2e::host_port*> host_end(const step& at);
  // The admin API of the case's device service.
  outcome<e2e::admin_client> admin(const step& at) const;
};

// Asks again, at a modest pace, until `mismatch` finds nothing to say or the case's deadline passes (then the step
// fails with what it said last): the device service and the emulator's world have no event of their own to wait
// on for what a host program has just caused.
step_result until_holds(case_context& context, const step& step, const std::function<std::optional<std::string>()>& mismatch);
// True when every field of `subset` has that value in `whole` (objects compared field by field, recursively).
bool holds_subset(const nlohmann::json& whole, const nlohmann::json& subset);

// Opens the module's port and takes its boot URCs (through PB DONE) before the first step.
outcome<done> attach_port(case_context& context, bool wait_for_boot);

step_result run_host_step(case_context& context, const step& step);     // send, expect_next, expect_eventually
step_result run_cloud_step(case_context& context, const step& step);    // cloud_steps.cpp
step_result run_world_step(case_context& context, const step& step);    // world_steps.cpp
step_result run_module_step(case_context& context, const step& step);   // module_steps.cpp
step_result run_program_step(case_context& context, const step& step);  // program_start, program_exit

}  // namespace scenario
