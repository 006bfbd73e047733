#pragma once
// fleet_faults: a fault of the fleet file striking one module, through the same world verbs the control API
// uses (SPEC §7), so a fleet's fault is exactly what `sim7600-ctl` would do to a lone module. Runs on the
// module's loop; a fault that lasts arms one timer for that module only, to end it.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "fleet/fleet_model.hpp"
#include "fleet/fleet_module.hpp"

namespace fleet {

// Makes `which` happen to the module now; the refusal of the world, if any ("no SIM in the holder"), is returned
// for the report (a fault that cannot strike is counted, not fatal).
std::optional<std::string> strike(boost::asio::io_context& loop, fleet_module& module, const fault& which);

}  // namespace fleet
