#pragma once
// A small fleet run the report tests share: two groups and a declared empty one, a coverage fault that hits two
// modules (one recovers, one does not), a power-cut fault that hits nobody.
#include <string>

#include "fleet/fleet_report.hpp"

namespace fleet::testing {

inline module_outcome listening_module(std::string dsn, std::string group) {
  module_outcome module;
  module.dsn = std::move(dsn);
  module.group = std::move(group);
  module.listening = true;
  module.module_ota.end = ota_end::succeeded;
  module.counters = {10, 9, 2, 1};
  module.as_expected = true;
  return module;
}

inline fleet_run small_fleet() {
  fleet_run run;
  run.name = "rehearsal";
  run.seed = 7;
  run.started = std::chrono::system_clock::time_point{} + std::chrono::seconds(1700000000);
  run.duration = std::chrono::milliseconds(61500);
  run.counts.total = 4;
  run.counts.listening = 3;
  run.counts.ota_succeeded = 3;
  run.counts.ota_failed = 1;
  run.counts.errors = 2;
  run.module_job = ota_job_counters{4, 0, 3, 1};
  run.groups = {"field", "lab", "spare"};
  run.faults = {"coverage_lost", "power_cut"};
  run.modules.push_back(listening_module("AC000W000000001", "field"));
  run.modules.push_back(listening_module("AC000W000000002", "field"));
  run.modules.back().faults = {"coverage_lost"};
  module_outcome lost = listening_module("AC000W000000003", "field");
  lost.faults = {"coverage_lost"};
  lost.listening = false;
  lost.module_ota = {ota_end::failed, "download timed out"};
  lost.as_expected = false;
  lost.reason = "expected module OTA succeeded, got failed (download timed out)";
  lost.transcript = "AT+ADA=\"ota\",\"dl\",\"module\"\r\nOK\r\n+ADA: \"ota\",\"error\",\"x<y & \x01\xff\"\r\n";
  run.modules.push_back(lost);
  run.modules.push_back(listening_module("AC000W000000004", "lab"));
  return run;
}

}  // namespace fleet::testing
