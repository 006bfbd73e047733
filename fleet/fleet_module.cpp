#include "fleet/fleet_module.hpp"

#include "fleet/fleet_options.hpp"
#include "pty_bridge/pty_port.hpp"
#include "pty_bridge/tcp_port.hpp"

namespace fleet {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {
// The host's clock: milliseconds of the steady clock (any epoch will do; it never reads one itself).
milliseconds now_ms() { return std::chrono::duration_cast<milliseconds>(clock::now().time_since_epoch()); }

// What a failed module's report shows of its port: enough for the last exchanges, bounded per module.
constexpr std::size_t transcript_bytes = 4096;
}  // namespace

fleet_module::fleet_module(asio::io_context& io, std::string dsn, std::size_t index, std::size_t group,
                           const fleet::group& behaviour, std::uint64_t seed, phase_listener on_phase)
    : io_(io),
      dsn_(std::move(dsn)),
      index_(index),
      group_(group),
      behaviour_(std::make_unique<bring_up_host>(behaviour, seed)),
      on_phase_(std::move(on_phase)),
      last_phase_(behaviour_->phase()),
      wake_(io) {}

fleet_module::~fleet_module() = default;

common::outcome<common::done> fleet_module::open(asio::thread_pool& nv_workers,
                                                 sim7600_emu::module_host_settings settings,
                                                 const std::optional<std::string>& port) {
  auto host = sim7600_emu::module_host::open(io_, nv_workers, std::move(settings),
                                             [this](std::string_view bytes) { on_module_output(bytes); });
  if (!host) return host.error();
  host_ = std::move(host).value();
  if (!port) return common::done{};

  behaviour_.reset();  // a person or a firmware build drives this one
  pty_bridge::host_events events;
  events.received = [this](std::string_view bytes) {
    keep(bytes);
    host_->host_bytes(bytes);
  };
  events.closed = [this] { host_->host_closed(); };
  events.drained = [this] {
    if (host_->awaits_output_drained()) asio::post(io_, [this] { host_->output_drained(); });
  };
  if (is_tcp_endpoint(*port)) {
    auto opened = pty_bridge::tcp_port::open(io_, *port, std::move(events));
    if (!opened) return common::failure{"--port " + dsn_ + ": " + opened.error().reason};
    port_ = opened.value();
  } else {
    auto opened = pty_bridge::pty_port::open(io_, {*port, std::nullopt}, std::move(events));
    if (!opened) return common::failure{"--port " + dsn_ + ": " + opened.error().reason};
    port_ = opened.value();
  }
  return common::done{};
}

void fleet_module::power_on() { host_->power_on(); }

void fleet_module::stop() {
  stopped_ = true;
  wake_.cancel();
  if (host_) host_->stop();
  port_.reset();
}

void fleet_module::go_silent() {
  if (behaviour_) guarded([&] { behaviour_->go_silent(now_ms()); });
  note_phase();
}

void fleet_module::keep(std::string_view bytes) {
  recent_.append(bytes);
  if (recent_.size() > 2 * transcript_bytes) recent_.erase(0, recent_.size() - transcript_bytes);
}

std::string fleet_module::transcript() const {
  return recent_.size() > transcript_bytes ? recent_.substr(recent_.size() - transcript_bytes) : recent_;
}

std::string fleet_module::tcp_address() const {
  const std::string described = port_description();  // "tcp 127.0.0.1:40123"
  return described.starts_with("tcp ") ? described.substr(4) : std::string();
}

void fleet_module::when_booted(std::function<void()> booted) {
  runs_scenario_ = true;
  booted_ = std::move(booted);
  boot_watch_.clear();
}

void fleet_module::restart(std::function<void()> booted) {
  if (stopped_) return;
  when_booted(std::move(booted));
  host_->world().power_cut(std::chrono::milliseconds(100));
  host_->deliver_output();
}

void fleet_module::watch_boot(std::string_view bytes) {
  static constexpr std::string_view boot_done = "\r\nPB DONE\r\n";
  boot_watch_.append(bytes);
  if (boot_watch_.find(boot_done) != std::string::npos) {
    boot_watch_.clear();
    std::exchange(booted_, nullptr)();
    return;
  }
  if (boot_watch_.size() > boot_done.size()) boot_watch_.erase(0, boot_watch_.size() - boot_done.size());
}

void fleet_module::on_module_output(std::string_view bytes) {
  keep(bytes);
  if (port_) port_->send(bytes);
  if (booted_) watch_boot(bytes);
  if (!behaviour_ || stopped_) return;
  guarded([&] { behaviour_->on_output(bytes, now_ms()); });
  pump();
}

// A host behaviour that throws ends its own module, reported with the reason; the loop and the fleet go on.
void fleet_module::guarded(const std::function<void()>& step) {
  if (!crash_.empty()) return;
  try {
    step();
  } catch (const std::exception& e) {
    crash_ = std::string("the built-in host stopped: ") + e.what();
  } catch (...) {
    crash_ = "the built-in host stopped: an unknown exception";
  }
  if (!crash_.empty()) wake_.cancel();
}

void fleet_module::pump() {
  if (pumping_ || !crash_.empty()) return;  // answers made inside host_bytes are taken by the loop below
  pumping_ = true;
  std::string input;
  guarded([&] { input = behaviour_->take_input(); });
  while (!input.empty() && !stopped_ && crash_.empty()) {
    keep(input);
    host_->host_bytes(input);
    guarded([&] { input = behaviour_->take_input(); });
  }
  pumping_ = false;
  guarded([&] { note_phase(); });
  guarded([&] { arm_wake(); });
}

void fleet_module::arm_wake() {
  const auto when = behaviour_->next_wake();
  if (!when || stopped_) {
    if (armed_for_) wake_.cancel();
    armed_for_.reset();
    return;
  }
  if (armed_for_ == when) return;
  armed_for_ = when;
  wake_.expires_at(clock::time_point(*when));
  wake_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    armed_for_.reset();
    guarded([&] { behaviour_->on_time(now_ms()); });
    pump();
  });
}

void fleet_module::note_phase() {
  if (!behaviour_) return;
  for (const phase_change& change : behaviour_->take_events()) {  // every one: a short ota_applying counts too
    last_phase_ = change.to;
    if (on_phase_) on_phase_(*this, change.from, change.to);
  }
}

}  // namespace fleet
