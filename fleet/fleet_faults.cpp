#include "fleet/fleet_faults.hpp"

#include <boost/asio/steady_timer.hpp>

namespace fleet {

namespace {

using sim7600_control::verb_outcome;

// The power stays off this long when the fault gives no `for`.
constexpr milliseconds default_power_off{2000};

std::optional<std::string> refusal(const verb_outcome& outcome) {
  if (outcome.status < 300) return std::nullopt;
  return outcome.body.value("error", std::string("refused"));
}

// Ends a lasting fault after `after` on the module's loop (the timer owns itself until it fires).
void restore_after(boost::asio::io_context& loop, milliseconds after, std::function<void()> restore) {
  auto timer = std::make_shared<boost::asio::steady_timer>(loop, after);
  timer->async_wait([timer, restore = std::move(restore)](const boost::system::error_code& ec) {
    if (!ec) restore();
  });
}

std::optional<std::string> apply(boost::asio::io_context& loop, fleet_module& module, const fault& which) {
  auto& world = module.host().world();
  auto restore = [&loop, &module, after = which.lasting](std::function<void(sim7600_emu::emulator_world&)> undo) {
    if (after.count() <= 0) return;  // no `for`: it stays
    restore_after(loop, after, [&module, undo = std::move(undo)] {
      undo(module.host().world());
      module.host().deliver_output();
    });
  };
  switch (which.kind) {
    case fault_kind::coverage_lost: {
      auto refused = refusal(world.coverage(true));
      if (!refused) restore([](auto& w) { w.coverage(false); });
      return refused;
    }
    case fault_kind::power_cut:
      return refusal(world.power_cut(which.lasting.count() > 0 ? which.lasting : default_power_off));
    case fault_kind::data_call_dropped:
      return refusal(world.drop_data_call(std::nullopt));
    case fault_kind::sim_removed: {
      auto refused = refusal(world.sim("remove", std::nullopt));
      if (!refused) restore([](auto& w) { w.sim("insert", std::nullopt); });
      return refused;
    }
    case fault_kind::clock_skew:
      return refusal(world.clock_skew(which.skew_seconds));
    case fault_kind::host_silent:
      module.go_silent();
      return std::nullopt;
  }
  return std::string("unknown fault");
}

}  // namespace

std::optional<std::string> strike(boost::asio::io_context& loop, fleet_module& module, const fault& which) {
  auto refused = apply(loop, module, which);
  module.host().deliver_output();  // the URCs the world's change makes
  return refused;
}

}  // namespace fleet
