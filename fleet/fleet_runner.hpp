#pragma once
// fleet_runner: sim7600-fleet's process — the device service (embedded or --ads-url), the roster of modules, the
// loops they run on, the campaign's OTA jobs, the faults, the live progress and the end: every module stopped with
// its NV saved, then the summary (JSON, JUnit) and the exit code. Blocking admin calls run on a worker thread of
// their own; module work only ever runs on its module's loop.
#include <atomic>
#include <memory>
#include <ostream>
#include <vector>

#include "fleet/fleet_model.hpp"
#include "fleet/fleet_options.hpp"

namespace fleet {

class fleet_runner {
 public:
  fleet_runner(fleet_options options, fleet_file file);
  ~fleet_runner();
  fleet_runner(const fleet_runner&) = delete;
  fleet_runner& operator=(const fleet_runner&) = delete;

  // The process exit code: 0 when every module ended as the file expects (or, without a file, after a signal
  // once all were listening), 1 when one did not or the fleet could not start (one line on stderr), 2 on bad
  // usage found only now (a --port naming a DSN the fleet does not run).
  int run();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace fleet
