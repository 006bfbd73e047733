#include "emulator/module_host.hpp"

#include <boost/asio/post.hpp>
#include <iostream>

namespace sim7600_emu {

namespace asio = boost::asio;

common::outcome<std::unique_ptr<module_host>> module_host::open(asio::io_context& io, asio::thread_pool& nv_workers,
                                                                module_host_settings settings, output_sink output) {
  auto opened = config_store::file_store::open(settings.state_dir);
  if (!opened)
    return common::failure{"cannot use state dir " + settings.state_dir.string() + ": " + opened.error().reason};
  std::unique_ptr<module_host> host(
      new module_host(io, nv_workers, std::move(settings), std::move(output), std::move(opened).value()));
  auto nv = host->load_nv();
  if (!nv) return nv.error();
  host->dsn_ = nv.value().get("id/dev_id").value_or("");
  host->make_module(std::move(nv).value());
  return host;
}

module_host::module_host(asio::io_context& io, asio::thread_pool& nv_workers, module_host_settings settings,
                         output_sink output, config_store::file_store store)
    : io_(io),
      nv_strand_(asio::make_strand(nv_workers.get_executor())),
      settings_(std::move(settings)),
      output_(std::move(output)),
      store_(std::move(store)),
      power_timer_(io) {
  cloud_ = std::make_unique<cloud_transport>(io_.get_executor(), settings_.cloud, settings_.ca_file,
                                             [this] { deliver_output(); });
  sockets_ = std::make_unique<socket_transport>(
      io_.get_executor(), [this] { return module_ ? &module_->sockets() : nullptr; }, [this] { deliver_output(); });
  streams_ = std::make_unique<stream_transport>(
      io_.get_executor(), [this] { return module_ ? &module_->streams() : nullptr; }, [this] { deliver_output(); });
  ntp_ = std::make_unique<ntp_transport>(
      io_.get_executor(), settings_.ntp_port, [this] { return module_ ? &module_->ntp() : nullptr; },
      [this] { deliver_output(); });
  world_ = std::make_unique<emulator_world>(emulator_world::hooks{
      [this] { return module_.get(); }, cloud_.get(), [this](std::chrono::milliseconds off) { power_cut(off); },
      this});
}

module_host::~module_host() {
  for (auto& [id, slot] : timers_)
    if (slot.timer) slot.timer->cancel();
  if (sockets_) sockets_->close_all();
  if (streams_) streams_->close_all();
  if (ntp_) ntp_->stop();
  if (cloud_) cloud_->disconnect();
}

common::outcome<config_store::nv_image> module_host::load_nv() {
  config_store::load_result loaded = store_.load();
  if (loaded.from == config_store::load_result::source::unusable) {
    // Not what a crash leaves (a save always keeps one good copy): refuse rather than start blank over them.
    return common::failure{"NV in " + settings_.state_dir.string() + " has no usable copy (" + loaded.detail +
                           "); move nv-a.bin and nv-b.bin away to start a blank module"};
  }
  if (loaded.from == config_store::load_result::source::recovered)
    std::cerr << settings_.log_name << ": NV: newest copy rejected (" << loaded.detail << "), using the last good one\n";
  if (loaded.from == config_store::load_result::source::fresh && !loaded.image.get("fw/version"))
    loaded.image.values["fw/version"] = factory_firmware_version;
  if (settings_.factory_identity) apca::install_factory_identity(loaded.image, *settings_.factory_identity);
  return std::move(loaded.image);
}

void module_host::make_module(config_store::nv_image nv) {
  ++module_generation_;
  module_ = std::make_unique<agent::module_core>(settings_.module, *this, *this, *this, std::move(nv), cloud_.get(),
                                                 sockets_.get(), streams_.get(), ntp_.get());
}

void module_host::power_on() {
  if (!powered()) return;
  module_->power_on();
  deliver_output();
}

void module_host::host_bytes(std::string_view bytes) {
  if (!powered()) return;  // a module without power hears nothing
  module_->feed(bytes);
  deliver_output();
}

void module_host::host_closed() {
  if (!powered()) return;
  module_->host_disconnected();
  deliver_output();
}

void module_host::output_drained() {
  if (!powered()) return;
  module_->output_drained();
  deliver_output();
}

void module_host::deliver_output() {
  if (!module_) return;
  // Both taken before either is handed on: a sink may end the module (a fleet's fault cuts its power on a line).
  const std::string output = module_->take_output();
  const std::string nmea = module_->take_nmea_output();
  if (!output.empty() && output_) output_(output);
  if (!nmea.empty() && nmea_output_) nmea_output_(nmea);
}

void module_host::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& [id, slot] : timers_)
    if (slot.timer) slot.timer->cancel();
  power_timer_.cancel();
  sockets_->close_all();
  streams_->close_all();
  ntp_->stop();
  cloud_->disconnect();
  if (quiet() && on_quiet_) on_quiet_();
}

void module_host::power_cut(std::chrono::milliseconds off) {
  for (auto& [id, slot] : timers_) cancel_timer(id);
  sockets_->close_all();
  streams_->close_all();
  ntp_->stop();
  cloud_->forget_requests();
  module_.reset();
  ++module_generation_;
  power_timer_.expires_after(off);
  power_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    auto nv = load_nv();  // what NV holds now: saves that completed before the cut, and no other
    if (!nv) {
      if (on_fatal_) on_fatal_(nv.error().reason);
      return;
    }
    make_module(std::move(nv).value());
    power_on();
  });
}

void module_host::start_timer(apca::timer_id id, std::chrono::milliseconds after) {
  armed_timer& slot = timers_[id];
  if (!slot.timer) slot.timer = std::make_unique<asio::steady_timer>(io_);
  const std::uint64_t generation = ++slot.generation;
  slot.timer->expires_after(after);
  slot.timer->async_wait([this, id, generation](const boost::system::error_code& ec) {
    if (ec || !powered() || timers_[id].generation != generation) return;  // cancelled, re-armed, stopping
    module_->on_timer(id);
    deliver_output();
  });
}

void module_host::cancel_timer(apca::timer_id id) {
  auto it = timers_.find(id);
  if (it == timers_.end() || !it->second.timer) return;
  ++it->second.generation;
  it->second.timer->cancel();
}

std::int64_t module_host::unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void module_host::save(const config_store::nv_image& image, std::function<void(bool ok)> done) {
  ++saves_in_flight_;
  // The worker owns copies of the image and of the store (a path); fsync and rename happen there, never on the
  // event loop. The pool's owner joins it before any host goes, so `this` outlives the completion.
  asio::post(nv_strand_, [this, store = store_, image, done = std::move(done),
                          generation = module_generation_]() mutable {
    const bool ok = store.save(image);
    asio::post(io_, [this, ok, done = std::move(done), generation] {
      --saves_in_flight_;
      if (!ok) std::cerr << settings_.log_name << ": NV save failed; the previous image is still stored\n";
      if (done && generation == module_generation_) done(ok);
      deliver_output();
      if (quiet() && stopped_ && on_quiet_) on_quiet_();
    });
  });
}

}  // namespace sim7600_emu
