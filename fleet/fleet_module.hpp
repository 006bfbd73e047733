#pragma once
// fleet_module: one module of the fleet on its loop — the module_host, the host that drives it (the built-in
// bring_up_host, a person on a PTY or TCP port given by --port, or a scenario on a TCP port of its own), a wake timer
// armed only when that host asks for one, and the last few KB of the port's text for the report of a module that
// ends badly.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "emulator/module_host.hpp"
#include "fleet/bring_up_host.hpp"
#include "fleet/fleet_model.hpp"
#include "pty_bridge/host_port.hpp"

namespace fleet {

class fleet_module {
 public:
  // The host's phase changed (on this module's loop): the runner counts it and fires faults waiting for it.
  using phase_listener = std::function<void(fleet_module& module, host_phase before, host_phase now)>;

  fleet_module(boost::asio::io_context& io, std::string dsn, std::size_t index, std::size_t group,
               const fleet::group& behaviour, std::uint64_t seed, phase_listener on_phase);
  ~fleet_module();
  fleet_module(const fleet_module&) = delete;
  fleet_module& operator=(const fleet_module&) = delete;

  // Opens the module's NV and makes its host; the error is one line. `port`: PTY link path or HOST:PORT, to be
  // driven from outside instead of by the built-in host.
  common::outcome<common::done> open(boost::asio::thread_pool& nv_workers, sim7600_emu::module_host_settings settings,
                                     const std::optional<std::string>& port);
  void power_on();
  void stop();  // the run is over: nothing more reaches the module; NV saves still complete
  bool quiet() const { return !host_ || host_->quiet(); }

  const std::string& dsn() const { return dsn_; }
  std::size_t index() const { return index_; }
  std::size_t group() const { return group_; }
  bool driven_from_outside() const { return port_ != nullptr; }
  std::string port_description() const { return port_ ? port_->describe() : std::string(); }
  // A module on a TCP port: its IPV4:PORT ("" otherwise).
  std::string tcp_address() const;

  // A scenario group's module (fleet_scenarios.hpp): `booted` runs once, on this loop, when the module next prints
  // PB DONE. restart() power-cycles it first (between two cases).
  void when_booted(std::function<void()> booted);
  void restart(std::function<void()> booted);
  bool runs_scenario() const { return runs_scenario_; }
  // Null for a module driven from outside.
  const bring_up_host* behaviour() const { return behaviour_.get(); }
  host_phase phase() const {
    if (!crash_.empty()) return host_phase::failed;
    return behaviour_ ? behaviour_->phase() : host_phase::listening;
  }
  // Why the built-in host stopped by throwing (empty while it runs): the module is reported failed with it.
  const std::string& crash() const { return crash_; }
  sim7600_emu::module_host& host() { return *host_; }
  void go_silent();  // the fault "a host that stops answering"
  std::string transcript() const;  // the port's recent text, oldest first

 private:
  void on_module_output(std::string_view bytes);
  void watch_boot(std::string_view bytes);
  void pump();  // the host's bytes to the module, repeated while answers make it say more; then the wake timer
  void arm_wake();
  void note_phase();
  void keep(std::string_view bytes);
  void guarded(const std::function<void()>& step);

  boost::asio::io_context& io_;
  std::string dsn_;
  std::size_t index_;
  std::size_t group_;
  std::unique_ptr<bring_up_host> behaviour_;
  phase_listener on_phase_;
  host_phase last_phase_;
  std::unique_ptr<sim7600_emu::module_host> host_;
  std::shared_ptr<pty_bridge::host_port> port_;
  boost::asio::steady_timer wake_;
  std::optional<milliseconds> armed_for_;  // the wake the timer is set for
  std::string recent_;  // bounded: the last transcript_bytes of the port's text
  std::string crash_;
  std::function<void()> booted_;  // a scenario module's, until PB DONE
  std::string boot_watch_;        // the output since when_booted, cut to its tail: PB DONE split across reads
  bool runs_scenario_ = false;
  bool pumping_ = false;
  bool stopped_ = false;
};

}  // namespace fleet
