#include "agent/module_core.hpp"

#include "agent/ada_commands.hpp"
#include "agent/at_engine.hpp"
#include "agent/cch_service.hpp"
#include "agent/http_service.hpp"
#include "agent/gnss_service.hpp"
#include "agent/modem_commands.hpp"
#include "agent/mqtt_service.hpp"
#include "agent/ntp_commands.hpp"
#include "agent/radio_world.hpp"
#include "agent/socket_service.hpp"
#include "agent/ssl_contexts.hpp"
#include "agent/storage_commands.hpp"
#include "agent/v250_commands.hpp"
#include "apca/service.hpp"

namespace agent {
namespace {

// A module with no way to real sockets: every open fails as a network failure would.
class unreachable_sockets final : public socket_port {
 public:
  socket_service* service = nullptr;
  void open(socket_id id, socket_protocol, socket_endpoint, std::uint16_t, std::chrono::milliseconds) override {
    service->on_opened(id, ip_error::network_failure);
  }
  void send(socket_id, std::string, std::optional<socket_endpoint>) override {}
  void close(socket_id) override {}
  void resume_receiving(socket_id) override {}
  void resolve(std::uint64_t query, std::string) override { service->on_resolved(query, std::nullopt); }
};

// A module with no way to real streams: every open fails to connect.
class unreachable_streams final : public stream_port {
 public:
  stream_events* events = nullptr;
  void open(stream_id id, socket_endpoint, std::optional<tls_setup>, std::chrono::milliseconds) override {
    events->on_opened(id, stream_error::connect_failed);
  }
  void send(stream_id, std::string) override {}
  void close(stream_id) override {}
  void resume_receiving(stream_id) override {}
};

// The I/O layer reports every stream here; the id tells which service opened it.
class stream_router final : public stream_events {
 public:
  stream_router(stream_events& ssl, stream_events& http, stream_events& mqtt) : ssl_(ssl), http_(http), mqtt_(mqtt) {}
  void on_opened(stream_id id, stream_error error) override { owner(id).on_opened(id, error); }
  void on_sent(stream_id id, std::size_t bytes) override { owner(id).on_sent(id, bytes); }
  void on_received(stream_id id, std::string_view bytes) override { owner(id).on_received(id, bytes); }
  void on_closed(stream_id id) override { owner(id).on_closed(id); }
  std::size_t rx_room(stream_id id) const override { return owner(id).rx_room(id); }

 private:
  stream_events& owner(stream_id id) const {
    if (id >= http_service::id_base) return http_;
    return id >= mqtt_service::id_base ? mqtt_ : ssl_;
  }
  stream_events& ssl_;
  stream_events& http_;
  stream_events& mqtt_;
};

// A module with no way to an NTP server: every name is unreachable.
class unreachable_ntp final : public ntp_port {
 public:
  ntp_client* client = nullptr;
  void ask(std::uint64_t query, std::string, std::string) override { client->on_unreachable(query); }
  void stop() override {}
};

}  // namespace

// The module's RTC as the agent reads it: the host's clock moved by what AT+CCLK, the network's time and the control
// API's `clock skew` did to it. A skewed module signs its cloud auth with its own wrong time, as a real one does.
class module_rtc final : public apca::clock_port {
 public:
  module_rtc(apca::clock_port& host_clock, const radio_world& world) : host_clock_(host_clock), world_(world) {}
  std::int64_t unix_seconds() override { return world_.clock_now(host_clock_.unix_seconds()); }

 private:
  apca::clock_port& host_clock_;
  const radio_world& world_;
};

struct module_core::impl : apca::urc_sink, v250_profile_store {
  impl(module_options options, apca::timer_port& timers, apca::clock_port& clock, apca::nv_port& nv,
       config_store::nv_image stored_nv, apca::cloud_port* cloud, socket_port* sockets, stream_port* streams, ntp_port* ntp)
      : timers_(timers),
        boot_delay_(options.boot_delay),
        network_auto_(options.network_auto),
        rtc_(clock, world_),  // world_ is built later; the RTC reads it only once the module runs
        engine_(table_),
        service_(apca::service_ports{timers, rtc_, *this, nv, cloud, [this] { request_reboot(); }},
                 std::move(stored_nv)),
        world_([this](bool up) {
          service_.set_data_call(up);
          sockets_.data_call_changed(up);
          cch_.data_call_changed(up);
          mqtt_.data_call_changed(up);
        }),
        modem_(std::move(options.identity), world_,
               modem_ports{timers, clock, [this](std::string line) { engine_.post_urc(std::move(line)); },
                           [this] { return service_.firmware_version(); }, [this] { request_reboot(); },
                           [this] { request_power_off(); },
                           [this](bool synced) { service_.set_clock_synced(synced); },
                           [this](data_prompt prompt) { engine_.ask_for_data(std::move(prompt)); }}),
        sockets_(socket_service_ports{
            sockets ? *sockets : unreachable_,
            [this](std::string line, std::string payload) { engine_.post_urc(std::move(line), std::move(payload)); },
            [this](data_prompt prompt) { engine_.ask_for_data(std::move(prompt)); },
            [this](command_result result) { engine_.complete(std::move(result)); },
            [this] { return open_data_call(); }}),
        storage_(storage_ports{
            [this]() -> const config_store::nv_image& { return service_.nv(); },
            [this](nv_changes changes, std::function<void(bool)> done) {
              service_.nv_change(std::move(changes), std::move(done));
            },
            [this](data_prompt prompt) { engine_.ask_for_data(std::move(prompt)); },
            [this](command_result result) { engine_.complete(std::move(result)); }}),
        cch_(stream_service(streams)),
        http_(stream_service(streams), timers),
        mqtt_({stream_service(streams), timers}),
        streams_(cch_, http_, mqtt_),
        gnss_({timers, clock, [this](std::string line) { engine_.post_urc(std::move(line)); }}, world_.sky()),
        ntp_(world_, ntp_command_ports{ntp ? *ntp : unreachable_ntp_, timers, clock,
                                       [this](std::string line) { engine_.post_urc(std::move(line)); },
                                       [this] { service_.set_clock_synced(true); }}) {
    unreachable_.service = &sockets_;
    unreachable_streams_.events = &streams_;
    unreachable_ntp_.client = &ntp_.client();
    add_v250_commands(table_, engine_, *this);
    modem_.add_to(table_);
    sockets_.add_to(table_);
    storage_.add_to(table_);
    ssl_contexts_.add_to(table_);
    cch_.add_to(table_);
    http_.add_to(table_);
    mqtt_.add_to(table_);
    gnss_.add_to(table_);
    ntp_.add_to(table_);
    add_ada_commands(table_, service_, [this](command_result result) { engine_.complete(std::move(result)); });
    engine_.set_accepting(false);  // powered off until power_on()
    engine_.set_after_line([this] {
      if (requested_ == request::reboot) reboot();
      if (requested_ == request::power_off) power_off();
    });
  }

  // ---- apca::urc_sink: the service's URCs go out through the engine, never inside a response ----
  void urc(std::string line) override {
    if (!engine_.accepting()) return;  // a booting module prints nothing
    engine_.post_urc(std::move(line));
  }

  // ---- v250_profile_store: the AT&W profile lives in NV with the rest of the module's memory ----
  v250_settings load() const override { return profile_from_nv(service_.nv()); }
  void save(const v250_settings& profile, std::function<void(bool ok)> done) override {
    service_.nv_store(profile_to_nv(profile), std::move(done));
  }

  void power_on() {
    engine_.discard_input();
    engine_.set_accepting(false);
    timers_.start_timer(apca::timer_id::boot, boot_delay_);
  }

  void finish_boot() {
    engine_.settings() = load();
    engine_.set_accepting(true);
    for (const auto& line : world_.boot_urcs()) engine_.post_urc(line);
    if (network_auto_) {
      world_.packet().attach_automatically(1, "internet");
      service_.set_clock_synced(true);
    }
  }

  // --network auto is an always-on profile: once the network can carry it again, context 1 comes back up.
  void redial_if_always_on() {
    if (!network_auto_ || !engine_.accepting() || !world_.packet_ready() || world_.packet().data_call_up()) return;
    world_.packet().attach_automatically(1, "internet");
  }

  // AT+CFUN=1,1, AT+CRESET (and a module OTA apply): a command's OK goes out first, so inside a command line
  // the reboot waits for its final result code.
  void request_reboot() {
    if (engine_.busy()) {
      requested_ = request::reboot;
    } else {
      reboot();
    }
  }

  // What the SSL, HTTP(S) and MQTT(S) services ask of the module: the same for all.
  stream_service_ports stream_service(stream_port* streams) {
    return {streams ? *streams : unreachable_streams_, ssl_contexts_,
            [this]() -> const config_store::nv_image& { return service_.nv(); },
            [this](std::string line, std::string payload) { engine_.post_urc(std::move(line), std::move(payload)); },
            [this](data_prompt prompt) { engine_.ask_for_data(std::move(prompt)); },
            [this] { return open_data_call(); }};
  }

  // AT+NETOPEN: the TCP/IP service runs on context 1, dialled now if it is defined and not up yet.
  bool open_data_call() {
    if (world_.packet().data_call_up()) return true;
    if (world_.packet().dial(1, world_.packet_ready()) != modem_state::dial_outcome::dialling) return false;
    // Calls the host dialled earlier come up first, as their AT+CAPNET asked.
    while (auto cid = world_.packet().finish_dial()) {
      if (*cid == 1) break;
      engine_.post_urc("+CAPNET: " + std::to_string(*cid) + ",1");
    }
    if (!world_.packet().dialling()) timers_.cancel_timer(apca::timer_id::data_call);
    return world_.packet().data_call_up();
  }

  // AT+CPOF, an under-voltage power down: like a reboot, after the command line's final result code, but the
  // module stays off until power_on().
  void request_power_off() {
    if (engine_.busy()) {
      requested_ = request::power_off;
    } else {
      power_off();
    }
  }

  void go_down() {
    requested_ = request::none;
    engine_.set_accepting(false);  // a module going down prints nothing more (no "l","down" on the way)
    sockets_.power_cycle();  // before the calls drop: a module going down reports no closed link
    cch_.power_cycle();
    http_.power_cycle();
    mqtt_.power_cycle();
    ntp_.power_cycle();
    world_.power_cycle();
    modem_.power_cycle();
    storage_.power_cycle();
    ssl_contexts_.power_cycle();
    gnss_.power_cycle();
    service_.power_cycle();
    // The RTC keeps the synchronised time across a reboot (note sample 4.3 does not sync again).
    service_.set_clock_synced(world_.packet().clock_synced());
  }

  void reboot() {
    go_down();
    power_on();
  }

  void power_off() {
    go_down();
    engine_.discard_input();
    timers_.cancel_timer(apca::timer_id::boot);
  }

  void on_timer(apca::timer_id id) {
    if (id == apca::timer_id::boot) return finish_boot();
    if (id == apca::timer_id::ntp) return ntp_.client().on_timer();
    if (modem_.on_timer(id)) return;
    if (id == apca::timer_id::gnss) return gnss_.on_timer();
    if (id == apca::timer_id::http_receive) return http_.on_receive_timeout();
    if (mqtt_.on_timer(id)) return;
    service_.on_timer(id);
  }

  apca::timer_port& timers_;
  std::chrono::milliseconds boot_delay_;
  bool network_auto_;
  module_rtc rtc_;
  command_table table_;  // before engine_: the engine refers to it
  at_engine engine_;
  apca::service service_;
  radio_world world_;
  modem_commands modem_;
  // What waits for the running command line's final result code.
  enum class request { none, reboot, power_off };
  request requested_ = request::none;
  unreachable_sockets unreachable_;
  socket_service sockets_;
  storage_commands storage_;
  ssl_contexts ssl_contexts_;
  unreachable_streams unreachable_streams_;
  cch_service cch_;
  http_service http_;
  mqtt_service mqtt_;
  stream_router streams_;
  gnss_service gnss_;
  unreachable_ntp unreachable_ntp_;
  ntp_commands ntp_;
};

module_core::module_core(module_options options, apca::timer_port& timers, apca::clock_port& clock,
                         apca::nv_port& nv, config_store::nv_image stored_nv, apca::cloud_port* cloud,
                         socket_port* sockets, stream_port* streams, ntp_port* ntp)
    : impl_(std::make_unique<impl>(std::move(options), timers, clock, nv, std::move(stored_nv), cloud, sockets,
                                   streams, ntp)) {}

module_core::~module_core() = default;

void module_core::power_on() { impl_->power_on(); }
void module_core::feed(std::string_view bytes) { impl_->engine_.feed(bytes); }
void module_core::host_disconnected() { impl_->engine_.drop_partial_line(); }
void module_core::reboot() { impl_->request_reboot(); }
void module_core::on_timer(apca::timer_id id) { impl_->on_timer(id); }
void module_core::output_drained() { impl_->service_.host_output_drained(); }
bool module_core::awaits_output_drained() const { return impl_->service_.awaits_host_output_drained(); }
std::string module_core::take_output() { return impl_->engine_.take_output(); }
apca::service& module_core::service() { return impl_->service_; }
const radio_world& module_core::world() const { return impl_->world_; }
void module_core::world_event(const std::function<world_effects(radio_world&)>& event) {
  impl_->modem_.post(event(impl_->world_));
  impl_->modem_.drop_call_without_service();
  impl_->redial_if_always_on();
}
bool module_core::call_event_from_network(call_event event, const std::string& number) {
  if (!impl_->engine_.accepting()) return false;  // a module that is off or booting has no call
  return impl_->modem_.call_event_from_network(event, number);
}
const voice_call& module_core::call() const { return impl_->modem_.call(); }
socket_service& module_core::sockets() { return impl_->sockets_; }
stream_events& module_core::streams() { return impl_->streams_; }
const gnss_service& module_core::gnss() const { return impl_->gnss_; }
std::string module_core::take_nmea_output() { return impl_->gnss_.take_nmea_output(); }
ntp_client& module_core::ntp() { return impl_->ntp_.client(); }
bool module_core::data_call_up() const { return impl_->world_.packet().data_call_up(); }

}  // namespace agent
