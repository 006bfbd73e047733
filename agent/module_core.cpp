#include "agent/module_core.hpp"

#include "agent/ada_commands.hpp"
#include "agent/at_engine.hpp"
#include "agent/modem_commands.hpp"
#include "agent/modem_state.hpp"
#include "agent/socket_service.hpp"
#include "agent/v250_commands.hpp"
#include "apca/service.hpp"

namespace agent {
namespace {

// The boot banner of a SIM7600, in the order the module prints it.
constexpr const char* boot_urcs[] = {"RDY", "+CPIN: READY", "SMS DONE", "PB DONE"};

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

}  // namespace

struct module_core::impl : apca::urc_sink, v250_profile_store {
  impl(module_options options, apca::timer_port& timers, apca::clock_port& clock, apca::nv_port& nv,
       config_store::nv_image stored_nv, apca::cloud_port* cloud, socket_port* sockets)
      : timers_(timers),
        boot_delay_(options.boot_delay),
        network_auto_(options.network_auto),
        engine_(table_),
        service_(apca::service_ports{timers, clock, *this, nv, cloud, [this] { request_reboot(); }},
                 std::move(stored_nv)),
        state_([this](bool up) {
          service_.set_data_call(up);
          sockets_.data_call_changed(up);
        }),
        modem_(std::move(options.identity), state_,
               modem_ports{timers, clock, [this](std::string line) { engine_.post_urc(std::move(line)); },
                           [this] { return service_.firmware_version(); }, [this] { request_reboot(); },
                           [this](bool synced) { service_.set_clock_synced(synced); }}),
        sockets_(socket_service_ports{
            sockets ? *sockets : unreachable_,
            [this](std::string line, std::string payload) { engine_.post_urc(std::move(line), std::move(payload)); },
            [this](data_prompt prompt) { engine_.ask_for_data(std::move(prompt)); },
            [this](command_result result) { engine_.complete(std::move(result)); },
            [this] { return open_data_call(); }}) {
    unreachable_.service = &sockets_;
    add_v250_commands(table_, engine_, *this);
    modem_.add_to(table_);
    sockets_.add_to(table_);
    add_ada_commands(table_, service_, [this](command_result result) { engine_.complete(std::move(result)); });
    engine_.set_accepting(false);  // powered off until power_on()
    engine_.set_after_line([this] {
      if (reboot_requested_) reboot();
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
    for (const char* line : boot_urcs) engine_.post_urc(line);
    if (network_auto_) {
      state_.attach_automatically(1, "internet");
      service_.set_clock_synced(true);
    }
  }

  // AT+CFUN=1,1, AT+CRESET (and a module OTA apply): a command's OK goes out first, so inside a command line
  // the reboot waits for its final result code.
  void request_reboot() {
    if (engine_.busy()) {
      reboot_requested_ = true;
    } else {
      reboot();
    }
  }

  // AT+NETOPEN: the TCP/IP service runs on context 1, dialled now if it is defined and not up yet.
  bool open_data_call() {
    if (state_.data_call_up()) return true;
    if (state_.dial(1) != modem_state::dial_outcome::dialling) return false;
    // Calls the host dialled earlier come up first, as their AT+CAPNET asked.
    while (auto cid = state_.finish_dial()) {
      if (*cid == 1) break;
      engine_.post_urc("+CAPNET: " + std::to_string(*cid) + ",1");
    }
    if (!state_.dialling()) timers_.cancel_timer(apca::timer_id::data_call);
    return state_.data_call_up();
  }

  bool drop_data_call(std::optional<int> cid) {
    bool dropped = false;
    for (const auto& [number, context] : std::map(state_.contexts())) {
      if ((cid && number != *cid) || context.state != pdp_context::call::up) continue;
      state_.hang_up(number);
      dropped = true;
    }
    return dropped;
  }

  void reboot() {
    reboot_requested_ = false;
    engine_.set_accepting(false);  // a module going down prints nothing more (no "l","down" on the way)
    sockets_.power_cycle();
    state_.power_cycle();
    modem_.power_cycle();
    service_.power_cycle();
    // The RTC keeps the synchronised time across a reboot (note sample 4.3 does not sync again).
    service_.set_clock_synced(state_.clock_synced());
    power_on();
  }

  void on_timer(apca::timer_id id) {
    if (id == apca::timer_id::boot) return finish_boot();
    if (modem_.on_timer(id)) return;
    service_.on_timer(id);
  }

  apca::timer_port& timers_;
  std::chrono::milliseconds boot_delay_;
  bool network_auto_;
  command_table table_;  // before engine_: the engine refers to it
  at_engine engine_;
  apca::service service_;
  modem_state state_;
  modem_commands modem_;
  unreachable_sockets unreachable_;
  socket_service sockets_;
  bool reboot_requested_ = false;
};

module_core::module_core(module_options options, apca::timer_port& timers, apca::clock_port& clock,
                         apca::nv_port& nv, config_store::nv_image stored_nv, apca::cloud_port* cloud,
                         socket_port* sockets)
    : impl_(std::make_unique<impl>(std::move(options), timers, clock, nv, std::move(stored_nv), cloud, sockets)) {}

module_core::~module_core() = default;

void module_core::power_on() { impl_->power_on(); }
void module_core::feed(std::string_view bytes) { impl_->engine_.feed(bytes); }
void module_core::host_disconnected() { impl_->engine_.drop_partial_line(); }
void module_core::reboot() { impl_->request_reboot(); }
void module_core::on_timer(apca::timer_id id) { impl_->on_timer(id); }
void module_core::output_drained() { impl_->service_.host_output_drained(); }
std::string module_core::take_output() { return impl_->engine_.take_output(); }
apca::service& module_core::service() { return impl_->service_; }
socket_service& module_core::sockets() { return impl_->sockets_; }
bool module_core::drop_data_call(std::optional<int> cid) { return impl_->drop_data_call(cid); }
bool module_core::data_call_up() const { return impl_->state_.data_call_up(); }

}  // namespace agent
