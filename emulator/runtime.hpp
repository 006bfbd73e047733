#pragma once
// runtime: the daemon's event loop. One io_context drives the module core and its ports: it implements the
// cores' timer, clock and NV ports with Asio, feeds host bytes to module_core, and after every event hands the
// module's output to every open port and the transcript. With the embedded service, the console's terminal is one
// more tap on the same UART: it sees all output, and what its writer types takes the host's path (transcript, then
// the module).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ads_sim/terminal/module_terminal.hpp"
#include "agent/module_core.hpp"
#include "apca/ports.hpp"
#include "common/exit_code.hpp"
#include "common/result.hpp"
#include "config_store/file_store.hpp"
#include "pty_bridge/host_port.hpp"
#include "pty_bridge/transcript.hpp"
#include "emulator/cloud_transport.hpp"
#include "emulator/control_server.hpp"
#include "emulator/emulator_world.hpp"
#include "emulator/embedded_service.hpp"
#include "emulator/options.hpp"
#include "emulator/socket_transport.hpp"

namespace sim7600_emu {

// The firmware a new module reports (NV fw/version) until a module OTA replaces it.
inline constexpr const char* factory_firmware_version =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a";

class runtime final : public apca::timer_port, public apca::clock_port, public apca::nv_port {
 public:
  explicit runtime(emulator_options options);
  ~runtime() override;

  // Loads NV, opens the ports, prints the ready line, powers the module on and runs until SIGINT/SIGTERM.
  // Returns the process exit code (common::exit_code): 0 after a clean stop, 1 when a port, the state dir, NV or
  // the embedded service's files cannot be used, 2 for an --ads-url that is not https://HOST[:PORT] or an unusable
  // --ads-ca.
  int run();

  // apca ports
  void start_timer(apca::timer_id id, std::chrono::milliseconds after) override;
  void cancel_timer(apca::timer_id id) override;
  std::int64_t unix_seconds() override;
  void save(const config_store::nv_image& image, std::function<void(bool ok)> done) override;

 private:
  struct armed_timer {
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::uint64_t generation = 0;  // a completion already queued when the timer was re-armed is stale
  };

  // Everything before the ready line: state dir, device service, NV, transcript, ports, control API. The error is
  // the line to print and the code to exit with.
  common::result<common::done, common::exit_error> start();
  // NV as stored, with what a fresh module gets (the factory firmware version, the embedded service's identity);
  // the reason when neither stored copy is usable.
  common::outcome<config_store::nv_image> load_nv();
  void make_module(config_store::nv_image nv);
  // Power lost with no orderly shutdown: the module and everything volatile go; after `off` it boots from NV.
  void power_cut(std::chrono::milliseconds off);
  common::outcome<common::done> open_control();
  common::outcome<common::done> open_ports();
  // The embedded console's terminal onto this module's AT port, under the DSN in NV.
  void open_web_terminal(const config_store::nv_image& nv);
  common::result<common::done, common::exit_error> open_cloud();
  pty_bridge::host_events events_for_ports();
  void on_host_bytes(std::string_view bytes);
  void on_host_closed();
  void on_port_drained();
  void deliver_output();  // after every event: module output -> every port and the transcript
  void begin_shutdown();
  void finish_shutdown_when_quiet();

  emulator_options options_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_deadline_;
  boost::asio::thread_pool nv_worker_{1};  // one thread: saves run off the loop, in the order asked
  std::unique_ptr<config_store::file_store> store_;
  std::unique_ptr<embedded_service> embedded_;  // without --ads-url: ads-sim in-process, on its own thread
  std::unique_ptr<cloud_transport> cloud_;      // the way to the device service
  std::unique_ptr<socket_transport> sockets_;   // the module's TCP/IP service over real sockets
  std::unique_ptr<agent::module_core> module_;  // null while the power is cut
  agent::module_options module_options_;
  std::uint64_t module_generation_ = 0;  // a save completing for a module lost in a power cut is not reported
  boost::asio::steady_timer power_timer_;
  std::unique_ptr<emulator_world> world_;
  std::unique_ptr<control_server> control_;
  std::vector<std::shared_ptr<pty_bridge::host_port>> ports_;
  std::unique_ptr<pty_bridge::transcript_file> transcript_;
  std::shared_ptr<ads_sim::terminal::module_terminal> web_terminal_;  // with the embedded service only
  std::map<apca::timer_id, armed_timer> timers_;
  int saves_in_flight_ = 0;
  bool stopping_ = false;
};

}  // namespace sim7600_emu
