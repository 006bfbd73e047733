#pragma once
// module_host: one SIM7600 on an event loop — its sans-I/O module core with the ports it needs over Asio (timers,
// the clock, NV saves on a shared worker pool, the cloud and socket transports) and its world (power cuts, the
// control API's faults). After every event it hands the module's output to one sink. sim7600-emu runs one beside
// its ports and control API; sim7600-fleet runs thousands on a few loops, so nothing here is per process.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/module_core.hpp"
#include "apca/factory_identity.hpp"
#include "apca/ports.hpp"
#include "common/result.hpp"
#include "config_store/file_store.hpp"
#include "emulator/cloud_transport.hpp"
#include "emulator/emulator_world.hpp"
#include "emulator/factory_firmware.hpp"
#include "emulator/ntp_transport.hpp"
#include "emulator/socket_transport.hpp"
#include "emulator/stream_transport.hpp"

namespace sim7600_emu {

struct module_host_settings {
  std::filesystem::path state_dir;  // the module's NV (sim7600-emu's format)
  agent::module_options module;
  service_address cloud;            // the device service
  std::string ca_file;              // its trust; empty: the system's
  // Installed into NV that holds no identity yet (a module the embedded or fleet's service made).
  std::optional<apca::factory_identity> factory_identity;
  std::string log_name = "sim7600-emu";  // how messages about this module start
  std::uint16_t ntp_port = 123;          // where AT+CNTP's queries go
};

class module_host final : public apca::timer_port, public apca::clock_port, public apca::nv_port {
 public:
  // Output for the host side, in order, after every event that made some.
  using output_sink = std::function<void(std::string_view bytes)>;

  // Opens the state dir and loads NV (the module is made, not yet powered). The error is the one-line reason the
  // state dir or its NV cannot be used. `nv_workers` runs the saves, in order per module, off the loop.
  static common::outcome<std::unique_ptr<module_host>> open(boost::asio::io_context& io,
                                                            boost::asio::thread_pool& nv_workers,
                                                            module_host_settings settings, output_sink output);
  ~module_host() override;
  module_host(const module_host&) = delete;
  module_host& operator=(const module_host&) = delete;

  void power_on();
  // The host's side of the UART. Bytes reach the module only while it has power.
  bool powered() const { return module_ != nullptr && !stopped_; }
  void host_bytes(std::string_view bytes);
  void host_closed();
  void output_drained();  // every reader took all it was given (paces OTA image parts)
  // Whether output_drained() would change anything: a port's drain after every answer is then not worth a trip
  // through the event loop (it is a tenth of an AT round trip).
  bool awaits_output_drained() const { return powered() && module_->awaits_output_drained(); }
  void deliver_output();  // hands what the module has to say to the sink; after any outside event
  // Where the NMEA port's bytes go (sim7600-emu's --nmea-link); without one they are dropped.
  void set_nmea_sink(output_sink nmea) { nmea_output_ = std::move(nmea); }

  // Stop: timers cancelled, nothing more reaches the module, sockets and the cloud closed. NV saves in flight
  // still complete; `on_quiet` runs when the last one has.
  void stop();
  bool quiet() const { return saves_in_flight_ == 0; }
  void set_on_quiet(std::function<void()> on_quiet) { on_quiet_ = std::move(on_quiet); }
  // NV became unusable after a power cut: the module cannot boot again (the reason, one line).
  void set_on_fatal(std::function<void(const std::string&)> on_fatal) { on_fatal_ = std::move(on_fatal); }

  // The DSN in NV at open (empty for a module with no identity yet).
  const std::string& dsn() const { return dsn_; }
  emulator_world& world() { return *world_; }
  cloud_transport& cloud() { return *cloud_; }
  agent::module_core* module() { return module_.get(); }
  // Power lost with no orderly shutdown: the module and everything volatile go; after `off` it boots from NV.
  void power_cut(std::chrono::milliseconds off);

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

  module_host(boost::asio::io_context& io, boost::asio::thread_pool& nv_workers, module_host_settings settings,
              output_sink output, config_store::file_store store);
  // NV as stored, with what a fresh module gets (the factory firmware version and identity); the reason when
  // neither stored copy is usable.
  common::outcome<config_store::nv_image> load_nv();
  void make_module(config_store::nv_image nv);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::thread_pool::executor_type> nv_strand_;  // this module's saves, in order
  module_host_settings settings_;
  output_sink output_;
  output_sink nmea_output_;
  config_store::file_store store_;
  std::unique_ptr<cloud_transport> cloud_;
  std::unique_ptr<socket_transport> sockets_;
  std::unique_ptr<stream_transport> streams_;
  std::unique_ptr<ntp_transport> ntp_;
  std::unique_ptr<agent::module_core> module_;  // null while the power is cut
  std::unique_ptr<emulator_world> world_;
  std::uint64_t module_generation_ = 0;  // a save completing for a module lost in a power cut is not reported
  boost::asio::steady_timer power_timer_;
  std::map<apca::timer_id, armed_timer> timers_;
  std::string dsn_;
  std::function<void()> on_quiet_;
  std::function<void(const std::string&)> on_fatal_;
  int saves_in_flight_ = 0;
  bool stopped_ = false;
};

}  // namespace sim7600_emu
