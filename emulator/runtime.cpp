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
    : options_(std::move(options)), signals_(io_, SIGINT, SIGTERM), shutdown_deadline_(io_), power_timer_(io_) {}

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
  std::cout << ready << std::endl;  // endl: the ready line must reach a piped parent now

  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) begin_shutdown();
  });
  module_->power_on();
  deliver_output();
  io_.run();

  if (web_terminal_) web_terminal_->close();  // viewers hear the module stopped before the service goes
  control_.reset();  // removes the control socket
  ports_.clear();  // closes the ports and removes the PTY link
  sockets_->close_all();
  if (cloud_) cloud_->disconnect();
  embedded_.reset();
  if (transcript_) transcript_->flush_all();
  return common::exit_status(common::exit_code::ok);
}

common::result<common::done, common::exit_error> runtime::start() {
  auto opened = config_store::file_store::open(options_.state_dir);
  if (!opened) return common::failed("cannot use state dir " + options_.state_dir + ": " + opened.error().reason);
  store_ = std::make_unique<config_store::file_store>(std::move(opened).value());
  if (auto cloud = open_cloud(); !cloud) return cloud.error();

  module_options_.boot_delay = options_.boot_delay;
  module_options_.network_auto = options_.effective_network() == network_mode::automatic;
  sockets_ = std::make_unique<socket_transport>(
      io_.get_executor(), [this] { return module_ ? &module_->sockets() : nullptr; }, [this] { deliver_output(); });
  auto nv = load_nv();
  if (!nv) return common::failed(nv.error().reason);
  if (embedded_) open_web_terminal(nv.value());
  make_module(std::move(nv).value());

  if (options_.transcript) {
    auto file = pty_bridge::transcript_file::open(
        *options_.transcript, [](std::string_view line) { return agent::mask_ada_secrets(line); });
    if (!file) return common::failed(file.error().reason);
    transcript_ = std::move(file).value();
  }
  if (auto ports = open_ports(); !ports) return common::failed(ports.error().reason);
  if (auto control = open_control(); !control) return common::failed(control.error().reason);
  return common::done{};
}

common::outcome<config_store::nv_image> runtime::load_nv() {
  config_store::load_result loaded = store_->load();
  if (loaded.from == config_store::load_result::source::unusable) {
    // Not what a crash leaves (a save always keeps one good copy): refuse rather than start blank over them.
    return common::failure{"NV in " + options_.state_dir + " has no usable copy (" + loaded.detail +
                           "); move nv-a.bin and nv-b.bin away to start a blank module"};
  }
  if (loaded.from == config_store::load_result::source::recovered)
    std::cerr << "sim7600-emu: NV: newest copy rejected (" << loaded.detail << "), using the last good one\n";
  if (loaded.from == config_store::load_result::source::fresh && !loaded.image.get("fw/version"))
    loaded.image.values["fw/version"] = factory_firmware_version;
  if (embedded_ && options_.factory_identity) apca::install_factory_identity(loaded.image, embedded_->identity());
  return std::move(loaded.image);
}

void runtime::make_module(config_store::nv_image nv) {
  ++module_generation_;
  module_ = std::make_unique<agent::module_core>(module_options_, *this, *this, *this, std::move(nv), cloud_.get(),
                                                 sockets_.get());
}

void runtime::power_cut(std::chrono::milliseconds off) {
  for (auto& [id, slot] : timers_) cancel_timer(id);
  sockets_->close_all();
  if (cloud_) cloud_->forget_requests();
  module_.reset();
  ++module_generation_;
  power_timer_.expires_after(off);
  power_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    auto nv = load_nv();  // what NV holds now: saves that completed before the cut, and no other
    if (!nv) {
      std::cerr << "sim7600-emu: " << nv.error().reason << "\n";
      return begin_shutdown();
    }
    make_module(std::move(nv).value());
    module_->power_on();
    deliver_output();
  });
}

common::outcome<common::done> runtime::open_control() {
  world_ = std::make_unique<emulator_world>(emulator_world::hooks{
      [this] { return module_.get(); }, cloud_.get(), [this](std::chrono::milliseconds off) { power_cut(off); },
      this});
  auto opened = control_server::open(io_, options_.state_dir, options_.control, *world_, [this] { deliver_output(); });
  if (!opened) return opened.error();
  control_ = std::move(opened).value();
  std::cerr << "sim7600-emu: " << control_->describe() << "\n";
  return common::done{};
}

// The device service: the one --ads-url names, or an embedded ads-sim that knows this module's factory identity.
// A bad --ads-url or --ads-ca is a bad flag (exit 2); an embedded service that cannot start is not (exit 1).
common::result<common::done, common::exit_error> runtime::open_cloud() {
  service_address address;
  std::string ca_file;
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
  }
  cloud_ = std::make_unique<cloud_transport>(io_.get_executor(), address, ca_file, [this] { deliver_output(); });
  return common::done{};
}

void runtime::open_web_terminal(const config_store::nv_image& nv) {
  const auto dsn = nv.get("id/dev_id");
  if (!dsn || dsn->empty()) return;  // a module with no identity is no device of the service's
  web_terminal_ = std::make_shared<ads_sim::terminal::module_terminal>(
      [this](std::function<void()> task) { asio::post(io_, std::move(task)); },
      [this](std::string_view bytes) { on_host_bytes(bytes); });  // as a PTY's bytes: transcript, then the module
  embedded_->terminals()->add(*dsn, web_terminal_);
}

pty_bridge::host_events runtime::events_for_ports() {
  pty_bridge::host_events events;
  events.received = [this](std::string_view bytes) { on_host_bytes(bytes); };
  events.closed = [this] { on_host_closed(); };
  // Posted: a port may report it drained from inside send(), in the middle of handing output to every port.
  events.drained = [this] { asio::post(io_, [this] { on_port_drained(); }); };
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

void runtime::on_host_bytes(std::string_view bytes) {
  if (stopping_ || !module_) return;  // a module without power hears nothing
  if (transcript_) transcript_->record(pty_bridge::direction::host_to_module, bytes);
  module_->feed(bytes);
  deliver_output();
}

void runtime::on_host_closed() {
  if (stopping_ || !module_) return;
  if (transcript_) transcript_->flush_all();  // the host's half line, and the echo of it, end here
  module_->host_disconnected();
  deliver_output();
}

void runtime::on_port_drained() {
  for (const auto& port : ports_)
    if (!port->idle()) return;  // the last port to drain reports again
  if (!stopping_ && module_) {
    module_->output_drained();  // paces OTA image parts to what the host actually takes
    deliver_output();
  }
  finish_shutdown_when_quiet();
}

void runtime::deliver_output() {
  if (!module_) return;
  const std::string output = module_->take_output();
  if (output.empty()) return;
  if (transcript_) transcript_->record(pty_bridge::direction::module_to_host, output);
  for (const auto& port : ports_) port->send(output);
  if (web_terminal_) web_terminal_->output(output);
}

void runtime::start_timer(apca::timer_id id, std::chrono::milliseconds after) {
  armed_timer& slot = timers_[id];
  if (!slot.timer) slot.timer = std::make_unique<asio::steady_timer>(io_);
  const std::uint64_t generation = ++slot.generation;
  slot.timer->expires_after(after);
  slot.timer->async_wait([this, id, generation](const boost::system::error_code& ec) {
    if (ec || stopping_ || !module_ || timers_[id].generation != generation) return;  // cancelled, re-armed, stopping
    module_->on_timer(id);
    deliver_output();
  });
}

void runtime::cancel_timer(apca::timer_id id) {
  auto it = timers_.find(id);
  if (it == timers_.end() || !it->second.timer) return;
  ++it->second.generation;
  it->second.timer->cancel();
}

std::int64_t runtime::unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void runtime::save(const config_store::nv_image& image, std::function<void(bool ok)> done) {
  ++saves_in_flight_;
  // The worker owns a copy; fsync and rename happen there, never on the event loop.
  asio::post(nv_worker_, [this, image, done = std::move(done), generation = module_generation_]() mutable {
    const bool ok = store_->save(image);
    asio::post(io_, [this, ok, done = std::move(done), generation] {
      --saves_in_flight_;
      if (!ok) std::cerr << "sim7600-emu: NV save failed; the previous image is still stored\n";
      if (done && generation == module_generation_) done(ok);
      deliver_output();
      finish_shutdown_when_quiet();
    });
  });
}

void runtime::begin_shutdown() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& [id, slot] : timers_)
    if (slot.timer) slot.timer->cancel();
  shutdown_deadline_.expires_after(output_drain_limit);
  shutdown_deadline_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    if (saves_in_flight_ == 0) io_.stop();  // output nobody reads is given up; NV saves are not
    else finish_shutdown_when_quiet();
  });
  finish_shutdown_when_quiet();
}

void runtime::finish_shutdown_when_quiet() {
  if (!stopping_ || saves_in_flight_ > 0) return;
  for (const auto& port : ports_)
    if (!port->idle()) return;  // called again from the port's drained event
  io_.stop();
}

}  // namespace sim7600_emu
