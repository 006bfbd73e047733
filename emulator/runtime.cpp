#include "emulator/runtime.hpp"

#include <boost/asio/post.hpp>
#include <csignal>
#include <iostream>

#include "agent/ada_commands.hpp"
#include "pty_bridge/pty_port.hpp"
#include "pty_bridge/serial_port.hpp"
#include "pty_bridge/tcp_port.hpp"

namespace sim7600_emu {

namespace asio = boost::asio;

namespace {
// How long a stop waits for queued output nobody may be reading; pending NV saves are always waited for.
constexpr std::chrono::seconds output_drain_limit{2};
}  // namespace

runtime::runtime(emulator_options options)
    : options_(std::move(options)), signals_(io_, SIGINT, SIGTERM), shutdown_deadline_(io_) {}

runtime::~runtime() {
  nv_worker_.join();  // a save in flight always completes: NV is never left half-written by us
}

int runtime::run() {
  std::signal(SIGPIPE, SIG_IGN);
  if (auto started = start(); !started) {
    std::cerr << "sim7600-emu: " << started.error().reason << "\n";
    return common::exit_status(started.error().code);
  }

  std::string ready = "sim7600-emu ready:";
  for (const auto& port : ports_) ready += " " + port->describe();
  if (nmea_port_) ready += " nmea " + nmea_port_->describe();
  std::cout << ready << std::endl;  // endl: the ready line must reach a piped parent now

  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) begin_shutdown();
  });
  host_->power_on();
  io_.run();

  if (web_terminal_) web_terminal_->close();  // viewers hear the module stopped before the service goes
  control_.reset();  // removes the control socket
  ports_.clear();  // closes the ports and removes the PTY link
  nmea_port_.reset();
  host_->stop();
  embedded_.reset();
  if (transcript_) transcript_->flush_all();
  return common::exit_status(common::exit_code::ok);
}

common::result<common::done, common::exit_error> runtime::start() {
  // The state dir is checked before anything is made in it (the embedded service keeps its data there).
  if (auto usable = config_store::file_store::open(options_.state_dir); !usable)
    return common::failed("cannot use state dir " + options_.state_dir + ": " + usable.error().reason);
  module_host_settings settings;
  settings.state_dir = options_.state_dir;
  settings.module.boot_delay = options_.boot_delay;
  settings.ntp_port = options_.ntp_port;
  settings.module.network_auto = options_.effective_network() == network_mode::automatic;
  if (auto cloud = open_cloud(settings); !cloud) return cloud.error();

  auto host = module_host::open(io_, nv_worker_, std::move(settings),
                                [this](std::string_view output) { on_module_output(output); });
  if (!host) return common::failed(host.error().reason);
  host_ = std::move(host).value();
  host_->set_on_quiet([this] { finish_shutdown_when_quiet(); });
  host_->set_on_fatal([this](const std::string& reason) {
    std::cerr << "sim7600-emu: " << reason << "\n";
    begin_shutdown();
  });
  if (embedded_) open_web_terminal();

  if (options_.transcript) {
    auto file = pty_bridge::transcript_file::open(
        *options_.transcript, [](std::string_view line) { return agent::mask_ada_secrets(line); });
    if (!file) return common::failed(file.error().reason);
    transcript_ = std::move(file).value();
  }
  if (auto ports = open_ports(); !ports) return common::failed(ports.error().reason);
  if (auto nmea = open_nmea_port(); !nmea) return common::failed(nmea.error().reason);
  if (auto control = open_control(); !control) return common::failed(control.error().reason);
  return common::done{};
}

common::outcome<common::done> runtime::open_control() {
  auto opened = control_server::open(io_, options_.state_dir, options_.control, host_->world(),
                                     [this] { host_->deliver_output(); });
  if (!opened) return opened.error();
  control_ = std::move(opened).value();
  std::cerr << "sim7600-emu: " << control_->describe() << "\n";
  return common::done{};
}

// The device service: the one --ads-url names, or an embedded ads-sim that knows this module's factory identity.
// A bad --ads-url or --ads-ca is a bad flag (exit 2); an embedded service that cannot start is not (exit 1).
common::result<common::done, common::exit_error> runtime::open_cloud(module_host_settings& settings) {
  service_address& address = settings.cloud;
  std::string& ca_file = settings.ca_file;
  if (options_.ads_url) {
    const auto parsed = parse_service_url(*options_.ads_url);
    if (!parsed) return common::usage_error("--ads-url wants https://HOST[:PORT], got '" + *options_.ads_url + "'");
    address = *parsed;
    ca_file = options_.ads_ca.value_or("");
    if (!ca_file.empty()) {
      if (auto usable = ads_client::check_ca_file(ca_file); !usable)
        return common::usage_error("--ads-ca: " + usable.error().reason);
    }
  } else {
    auto started = embedded_service::start(options_.state_dir, options_.console_password_file);
    if (!started) return common::failed(started.error().reason);
    embedded_ = std::move(started).value();
    address = {embedded_->host(), embedded_->port()};
    ca_file = embedded_->ca_file();
    std::cerr << "sim7600-emu: embedded device service " << embedded_->url() << " (DSN " << embedded_->identity().dsn
              << "; admin: ads-admin --service-dir " << embedded_->data_dir().string() << ")\n";
    if (options_.factory_identity) settings.factory_identity = embedded_->identity();
  }
  return common::done{};
}

void runtime::open_web_terminal() {
  if (host_->dsn().empty()) return;  // a module with no identity is no device of the service's
  web_terminal_ = std::make_shared<ads_sim::terminal::module_terminal>(
      [this](std::function<void()> task) { asio::post(io_, std::move(task)); },
      [this](std::string_view bytes) { on_host_bytes(bytes); });  // as a PTY's bytes: transcript, then the module
  embedded_->terminals()->add(host_->dsn(), web_terminal_);
}

pty_bridge::host_events runtime::events_for_ports() {
  pty_bridge::host_events events;
  events.received = [this](std::string_view bytes) { on_host_bytes(bytes); };
  events.closed = [this] { on_host_closed(); };
  // Posted: a port may report it drained from inside send(), in the middle of handing output to every port.
  events.drained = [this] {
    if (stopping_ || host_->awaits_output_drained()) asio::post(io_, [this] { on_port_drained(); });
  };
  return events;
}

common::outcome<common::done> runtime::open_ports() {
  if (options_.serial_device) {
    auto opened = pty_bridge::serial_port::open(
        io_, {*options_.serial_device, options_.baud.value_or(115200), options_.rtscts}, events_for_ports());
    if (!opened) return opened.error();
    ports_.push_back(opened.value());
  } else {
    auto opened = pty_bridge::pty_port::open(io_, {options_.pty_link, options_.baud}, events_for_ports());
    if (!opened) return opened.error();
    ports_.push_back(opened.value());
  }
  if (options_.tcp) {
    auto opened = pty_bridge::tcp_port::open(io_, *options_.tcp, events_for_ports());
    if (!opened) return opened.error();
    ports_.push_back(opened.value());
  }
  return common::done{};
}

// The module's NMEA port: what a host types there goes nowhere (the real port takes no commands either), and a
// reader that falls behind loses the oldest sentences as the AT port's would.
common::outcome<common::done> runtime::open_nmea_port() {
  if (!options_.nmea_link) return common::done{};
  auto opened = pty_bridge::pty_port::open(io_, {*options_.nmea_link, std::nullopt}, pty_bridge::host_events{
                                                     [](std::string_view) {}, [] {}, [] {}});
  if (!opened) return opened.error();
  nmea_port_ = opened.value();
  host_->set_nmea_sink([this](std::string_view bytes) {
    if (nmea_port_) nmea_port_->send(bytes);
  });
  return common::done{};
}

void runtime::on_host_bytes(std::string_view bytes) {
  if (stopping_ || !host_->powered()) return;  // a module without power hears nothing
  if (transcript_) transcript_->record(pty_bridge::direction::host_to_module, bytes);
  host_->host_bytes(bytes);
}

void runtime::on_host_closed() {
  if (stopping_ || !host_->powered()) return;
  if (transcript_) transcript_->flush_all();  // the host's half line, and the echo of it, end here
  host_->host_closed();
}

void runtime::on_port_drained() {
  for (const auto& port : ports_)
    if (!port->idle()) return;  // the last port to drain reports again
  if (!stopping_) host_->output_drained();  // paces OTA image parts to what the host actually takes
  finish_shutdown_when_quiet();
}

void runtime::on_module_output(std::string_view output) {
  if (transcript_) transcript_->record(pty_bridge::direction::module_to_host, output);
  for (const auto& port : ports_) port->send(output);
  if (web_terminal_) web_terminal_->output(output);
}

void runtime::begin_shutdown() {
  if (stopping_) return;
  stopping_ = true;
  host_->stop();
  shutdown_deadline_.expires_after(output_drain_limit);
  shutdown_deadline_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    if (host_->quiet()) io_.stop();  // output nobody reads is given up; NV saves are not
    else finish_shutdown_when_quiet();
  });
  finish_shutdown_when_quiet();
}

void runtime::finish_shutdown_when_quiet() {
  if (!stopping_ || !host_->quiet()) return;
  for (const auto& port : ports_)
    if (!port->idle()) return;  // called again from the port's drained event
  io_.stop();
}

}  // namespace sim7600_emu
