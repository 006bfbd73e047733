#pragma once
// fleet_scenarios: groups whose host is a sim7600-scenario file (SPEC §8). Each module of such a group is given a
// loopback TCP port, and once it has booted its group's file runs against it: the cases one after another, the
// module power-cycled between them (each case starts on a module just booted, as sim7600-scenario's fresh emulator
// does, with its NV kept), with {dsn} set to its DSN and the fleet's device service as the cases' cloud. The module
// ends as expected when every case passed. A case's steps block on the port, so they run on a bounded pool of
// threads, never on a module's loop.
#include <cstddef>
#include <map>
#include <string>

#include "common/result.hpp"
#include "fleet/fleet_model.hpp"
#include "scenario/scenario.hpp"

namespace fleet {

// The fleet's device service as a case's `cloud: running` sees it.
struct scenario_cloud {
  std::string url;         // https://HOST:PORT
  std::string ca_file;
  std::string token_file;  // the admin token
};

// How one module's run of its group's file ended.
struct scenario_end {
  bool passed = false;
  std::string reason;      // the failing step's "FILE:LINE: why" (one line); empty when passed
  std::string transcript;  // the failure in full (the last lines on the port), then what the port said
};

// Every scenario group's file, by group index. A step a fleet's module cannot take is refused with its
// "FILE:LINE: why": world and module steps and programs (they need a sim7600-emu of the case's own), a cloud of
// the case's own (`cloud: separate` or `running`), sim7600-emu flags other than `--network auto` (the fleet's modules
// are always on the network), a `port`.
common::outcome<std::map<std::size_t, scenario::scenario_file>> load_group_scenarios(const fleet_file& file);

// Runs case `index` of `file` against the module on `port` (IPV4:PORT). Blocks: call it from a worker thread.
scenario_end run_scenario_case(const scenario::scenario_file& file, std::size_t index, const std::string& port,
                               const std::string& dsn, const scenario_cloud& cloud);

}  // namespace fleet
