#include "completion/completed_programs.hpp"

#include "ads_admin/command_line.hpp"
#include "ads_sim/command_line.hpp"
#include "control/command_line.hpp"
#include "fleet/fleet_options.hpp"
#include "scenario/command_line.hpp"

namespace completion {

const std::vector<completed_program>& completed_programs() {
  static const std::vector<completed_program> table = {
      {"sim7600-ctl", sim7600_ctl::ctl_words},
      {"ads-admin", ads_admin::completion_words},
      {"sim7600-scenario", scenario::completion_words},
      {"sim7600-fleet", fleet::completion_words},
      {"ads-sim", ads_sim::completion_words},
  };
  return table;
}

}  // namespace completion
