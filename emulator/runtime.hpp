#pragma once
// runtime: the sim7600-emu process around one module_host — signals, the ready line, the ports (PTY, serial, TCP),
// the transcript, the control API and, without --ads-url, the embedded service. After every event the host hands
// the module's output to every open port and the transcript. With the embedded service, the console's terminal is
// one more tap on the same UART: it sees all output, and what its writer types takes the host's path (transcript,
// then the module).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <vector>

#include "ads_sim/terminal/module_terminal.hpp"
#include "common/exit_code.hpp"
#include "common/result.hpp"
#include "pty_bridge/host_port.hpp"
#include "pty_bridge/transcript.hpp"
#include "emulator/control_server.hpp"
#include "emulator/embedded_service.hpp"
#include "emulator/module_host.hpp"
#include "emulator/options.hpp"

namespace sim7600_emu {

class runtime final {
 public:
  explicit runtime(emulator_options options);
  ~runtime();

  // Loads NV, opens the ports, prints the ready line, powers the module on and runs until SIGINT/SIGTERM.
  // Returns the process exit code (common::exit_code): 0 after a clean stop, 1 when a port, the state dir, NV or
  // the embedded service's files cannot be used, 2 for an --ads-url that is not https://HOST[:PORT] or an unusable
  // --ads-ca.
  int run();

 private:
  // Everything before the ready line: device service, module, transcript, ports, control API. The error is the
  // line to print and the code to exit with.
  common::result<common::done, common::exit_error> start();
  // Where the device service is (the --ads-url one, or the embedded one started here), for the module's settings.
  common::result<common::done, common::exit_error> open_cloud(module_host_settings& settings);
  common::outcome<common::done> open_control();
  common::outcome<common::done> open_ports();
  common::outcome<common::done> open_nmea_port();
  // The embedded console's terminal onto this module's AT port, under the DSN in NV.
  void open_web_terminal();
  pty_bridge::host_events events_for_ports();
  void on_host_bytes(std::string_view bytes);
  void on_host_closed();
  void on_port_drained();
  void on_module_output(std::string_view output);  // -> every port and the transcript
  void begin_shutdown();
  void finish_shutdown_when_quiet();

  emulator_options options_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_deadline_;
  boost::asio::thread_pool nv_worker_{1};       // saves run off the loop
  std::unique_ptr<embedded_service> embedded_;  // without --ads-url: ads-sim in-process, on its own thread
  std::unique_ptr<module_host> host_;
  std::unique_ptr<control_server> control_;
  std::vector<std::shared_ptr<pty_bridge::host_port>> ports_;
  std::shared_ptr<pty_bridge::host_port> nmea_port_;  // --nmea-link: output only, never waited for at a stop
  std::unique_ptr<pty_bridge::transcript_file> transcript_;
  std::shared_ptr<ads_sim::terminal::module_terminal> web_terminal_;  // with the embedded service only
  bool stopping_ = false;
};

}  // namespace sim7600_emu
