#include "apca/service.hpp"

#include <algorithm>

#include "ads_client/rsa_key.hpp"
#include "apca/cloud_agent.hpp"
#include "apca/config_names.hpp"
#include "apca/passphrase.hpp"
#include "apca/random_text.hpp"
#include "common/hex.hpp"
#include "common/random_bytes.hpp"

namespace apca {
namespace {

// NV keys of the module itself (not AT+ADA config names).
constexpr const char* setup_enabled_key = "setup/enabled";        // "0" once disabled; absent: enabled
constexpr const char* setup_passphrase_key = "setup/passphrase";  // hash_passphrase() of the passphrase
constexpr const char* firmware_key = "fw/version";
constexpr std::string_view agent_version_start = "APCA-";
constexpr std::size_t max_sign_key = 2048;

// A set of NV changes: a value, or nullopt to erase the key.
using nv_changes = std::map<std::string, std::optional<std::string>>;

ada_error no_cloud() { return {ada_code::not_supported, "cloud connection"}; }
ada_error nv_write_failed() { return {ada_code::err, "nv write failed"}; }

}  // namespace

std::string status_line(connection_status status) {
  std::string line = "+ADA: \"status\"," + std::to_string(status.code);
  if (status.reason != 0) line += "," + std::to_string(status.reason);
  return line;
}

struct service::impl {
  impl(service_ports p, config_store::nv_image image) : ports(p), nv(std::move(image)) {}

  service_ports ports;
  config_store::nv_image nv;

  // Volatile state: lost on power_cycle.
  bool started = false;
  bool data_call = false;
  bool clock_synced = false;
  bool status_urcs = false;  // on after the host's first "status"
  bool busy = false;         // set from outside (control API): status 8, sends refused
  connection_status last_reported;
  chunk_assembler key_parts{{0, max_config_value, true}};
  chunk_assembler sign_parts{{0, max_sign_key, true}};
  chunk_assembler property_parts{{max_property_part, max_property_value, false}};
  std::optional<ads_client::rsa_key> sign_key;  // the OEM provisioning key: memory only
  std::string sign_rand;
  int saves_in_flight = 0;  // NV keeps saves in order: the last one to complete is what stays
  // What the cloud agent borrows from the service: ports, NV, provisioning, firmware, power, status.
  struct cloud_host final : cloud_agent::host {
    cloud_host(service& owner, impl& state) : owner(owner), state(state) {}
    service& owner;
    impl& state;
    urc_sink& urcs() override { return state.ports.urcs; }
    timer_port& timers() override { return state.ports.timers; }
    clock_port& clock() override { return state.ports.clock; }
    cloud_port& cloud() override { return *state.ports.cloud; }
    const config_store::nv_image& nv() const override { return state.nv; }
    void store(std::map<std::string, std::string> values, std::function<void(bool ok)> done) override {
      nv_changes changes;
      for (auto& [key, value] : values) {
        if (value.empty()) changes[key] = std::nullopt;
        else changes[key] = std::move(value);
      }
      state.commit(changes, std::move(done));
    }
    std::optional<provisioning_signature> provisioning() const override { return owner.provisioning(); }
    std::string firmware_version() const override { return owner.firmware_version(); }
    void reboot() override {
      if (state.ports.reboot) state.ports.reboot();
    }
    void status_changed() override { state.report_status_change(); }
    double random01() override { return random_unit(); }
  };
  std::unique_ptr<cloud_host> agent_host;  // declared before `cloud`, which borrows it
  std::unique_ptr<cloud_agent> cloud;      // null without a cloud port

  bool has(const std::string& key) const {
    auto value = nv.get(key);
    return value && !value->empty();
  }

  std::optional<std::string> missing_config() const {
    for (const char* key : {"oem/id", "oem/model", "server/region"}) {
      if (!has(key)) return key;
    }
    if (has("id/dev_id")) return has("id/key") ? std::nullopt : std::optional<std::string>("id/key");
    // No DSN yet: in-field provisioning gets one, given a key id, a hardware id and the OEM key from "sign".
    if (!has("oem/keyid")) return "id/dev_id";
    if (!has("oem/hwid")) return "oem/hwid";
    if (!sign_key) return "sign";
    return std::nullopt;
  }

  // What stops a connection now: 3 no data call, 2 clock not synchronised, 1 config incomplete, 0 nothing.
  int blocking_reason() const {
    if (!data_call) return 3;
    if (!clock_synced) return 2;
    if (missing_config()) return 1;
    return 0;
  }

  connection_status current_status() const {
    if (busy) return {8, 0};
    connection_status status{15, blocking_reason()};
    if (cloud && cloud->enabled()) {
      if (status.reason != 0) {
        status.code = 3;
      } else {
        status = cloud->status();
      }
    }
    return status;
  }

  // Data call, clock or config changed: the cloud connects when nothing blocks it, and drops when it can't go on.
  void conditions_changed() {
    if (cloud) cloud->conditions_changed(started && blocking_reason() == 0);
    report_status_change();
  }

  void report_status_change() {
    if (!status_urcs) return;
    auto now = current_status();
    if (now == last_reported) return;
    last_reported = now;
    ports.urcs.urc(status_line(now));
  }

  // Applies `changes` now and saves the image; `done(ok)` once durable. A failed save rolls back each changed
  // key that nothing else has changed since, so later accepted changes are kept.
  void commit(const nv_changes& changes, std::function<void(bool ok)> done) {
    nv_changes before;
    for (const auto& [key, value] : changes) {
      before[key] = nv.get(key);
      if (value)
        nv.values[key] = *value;
      else
        nv.values.erase(key);
    }
    save_image([this, changes, before = std::move(before), done = std::move(done)](bool ok) {
      bool rolled_back = false;
      for (const auto& [key, value] : ok ? nv_changes{} : changes) {
        if (nv.get(key) != value) continue;
        const auto& old = before.at(key);
        if (old)
          nv.values[key] = *old;
        else
          nv.values.erase(key);
        rolled_back = true;
      }
      // Saves already asked for carry the change that was just undone; one more save after them stores the
      // image without it.
      if (rolled_back && saves_in_flight > 0) save_image([](bool) {});
      conditions_changed();
      done(ok);
    });
  }

  void save_image(std::function<void(bool ok)> done) {
    ++saves_in_flight;
    ports.nv.save(nv, [this, done = std::move(done)](bool ok) {
      --saves_in_flight;
      done(ok);
    });
  }

  // commit() for a host command: answers `saving`, then `saved` with nullopt or "err: nv write failed".
  result<write_state> commit_for_host(const nv_changes& changes, saved_callback saved) {
    commit(changes, [saved = std::move(saved)](bool ok) {
      saved(ok ? std::nullopt : std::optional<ada_error>(nv_write_failed()));
    });
    return write_state::saving;
  }

  bool setup_enabled() const { return nv.get(setup_enabled_key).value_or("1") != "0"; }

  // Parts in progress and the OEM key: gone on a reboot and on a reset.
  void forget_parts_and_key() {
    key_parts.clear();
    sign_parts.clear();
    property_parts.clear();
    sign_key.reset();
    sign_rand.clear();
  }

  void forget_volatile() {
    started = false;
    data_call = false;
    clock_synced = false;
    status_urcs = false;
    last_reported = {};
    forget_parts_and_key();
  }
};

service::service(service_ports ports, config_store::nv_image nv)
    : impl_(std::make_unique<impl>(ports, std::move(nv))) {
  if (!ports.cloud) return;
  impl_->agent_host = std::make_unique<impl::cloud_host>(*this, *impl_);
  impl_->cloud = std::make_unique<cloud_agent>(*impl_->agent_host);
}
service::~service() = default;

void service::set_data_call(bool up) {
  impl_->data_call = up;
  impl_->conditions_changed();
}

void service::set_clock_synced(bool synced) {
  impl_->clock_synced = synced;
  impl_->conditions_changed();
}

void service::power_cycle() {
  impl_->forget_volatile();
  if (impl_->cloud) impl_->cloud->power_cycle(impl_->nv);
}

void service::on_timer(timer_id id) {
  if (impl_->cloud) impl_->cloud->on_timer(id);
}

void service::host_output_drained() {
  if (impl_->cloud) impl_->cloud->host_output_drained();
}

bool service::awaits_host_output_drained() const { return impl_->cloud && impl_->cloud->awaits_host_output_drained(); }

const config_store::nv_image& service::nv() const { return impl_->nv; }

void service::nv_store(std::map<std::string, std::string> values, std::function<void(bool ok)> done) {
  nv_changes changes;
  for (auto& [key, value] : values) changes[key] = std::move(value);
  nv_change(std::move(changes), std::move(done));
}

void service::nv_change(std::map<std::string, std::optional<std::string>> changes, std::function<void(bool ok)> done) {
  impl_->commit(changes, std::move(done));
}

bool service::started() const { return impl_->started; }

void service::start() {
  impl_->started = true;
  impl_->ports.urcs.urc("+ADA: \"start\",\"done\"");
}

void service::stop() {
  impl_->started = false;
  if (impl_->cloud) impl_->cloud->stop();
  impl_->report_status_change();
}

connection_status service::status() {
  impl_->status_urcs = true;
  impl_->last_reported = impl_->current_status();
  return impl_->last_reported;
}

void service::set_busy(bool busy) {
  impl_->busy = busy;
  impl_->report_status_change();
}

connection_status service::current_status() const { return impl_->current_status(); }

std::optional<std::string> service::missing_config() const { return impl_->missing_config(); }

result<std::string> service::config_get(std::string_view name) const {
  const config_name* config = find_config_name(name);
  if (!config) return make_error(ada_code::not_supported, "config name");
  auto value = impl_->nv.get(std::string(config->key));
  if (config->secret) return std::string(value ? "set" : "unset");
  return value.value_or("");
}

result<write_state> service::config_set(std::string_view name, std::string value, saved_callback saved) {
  const config_name* config = find_config_name(name);
  if (!config) return make_error(ada_code::not_supported, "config name");
  if (value.size() > max_config_value) return make_error(ada_code::len_err, "value too long");
  if (config->identity && !impl_->setup_enabled()) return make_error(ada_code::err, "setup mode disabled");
  if (auto error = normalise_config_value(*config, value)) return *error;
  std::string key(config->key);
  if (impl_->nv.get(key) == value) return write_state::no_change;
  if (key == "oem/template_version" && impl_->cloud) {
    // The cloud learns a new template version once it is stored.
    saved = [this, value, saved = std::move(saved)](std::optional<ada_error> error) {
      if (!error) impl_->cloud->template_version_changed(value);
      saved(error);
    };
  }
  return impl_->commit_for_host({{key, std::move(value)}}, std::move(saved));
}

result<write_state> service::config_set_part(std::string_view name, chunk_kind kind, std::string_view part,
                                             saved_callback saved) {
  const config_name* config = find_config_name(name);
  if (!config) return make_error(ada_code::not_supported, "config name");
  if (config->key != "id/key") return make_error(ada_code::usage, "parts only for id/key");
  if (!impl_->setup_enabled()) {
    impl_->key_parts.clear();
    return make_error(ada_code::err, "setup mode disabled");
  }
  auto whole = impl_->key_parts.add(kind, part);
  if (!whole.ok()) return whole.error();
  if (!whole.value()) return write_state::done;
  return config_set(name, *whole.value(), std::move(saved));
}

result<accepted> service::sign_part(chunk_kind kind, std::string_view part) {
  auto whole = impl_->sign_parts.add(kind, part);
  if (!whole.ok()) return whole.error();
  if (!whole.value()) return accepted{};
  auto key = ads_client::rsa_key::private_from_base64_body(*whole.value());
  std::string& body = *whole.value();
  std::fill(body.begin(), body.end(), '\0');
  if (!key) return make_error(ada_code::invalid, "key");
  impl_->sign_key = std::move(key);
  impl_->sign_rand = common::to_hex(common::random_bytes(16));
  impl_->conditions_changed();
  return accepted{};
}

std::optional<provisioning_signature> service::provisioning() const {
  if (!impl_->sign_key) return std::nullopt;
  provisioning_signature out;
  out.rand = impl_->sign_rand;
  const auto& nv = impl_->nv;
  out.message = nv.get("oem/id").value_or("") + " " + nv.get("oem/hwid").value_or("") + " " +
                nv.get("oem/keyid").value_or("") + " " + out.rand;
  // Recoverable, so the service reads hwid and rand back from the signature (PROTOCOL.md §2.7).
  auto signature = impl_->sign_key->sign_recoverable(out.message);
  if (!signature) return std::nullopt;
  out.signature = std::move(*signature);
  return out;
}

result<write_state> service::setup_mode_enable(std::optional<std::string> passphrase, saved_callback saved) {
  if (passphrase && passphrase->empty()) passphrase.reset();
  auto stored = impl_->nv.get(setup_passphrase_key);
  nv_changes changes;
  if (stored) {
    if (!passphrase) return make_error(ada_code::missing, "passphrase");
    if (!passphrase_matches(*stored, *passphrase)) return make_error(ada_code::invalid, "passphrase");
  } else if (passphrase) {
    if (passphrase->size() > max_config_value) return make_error(ada_code::len_err, "passphrase too long");
    changes[setup_passphrase_key] = hash_passphrase(*passphrase);
  }
  if (!impl_->setup_enabled()) changes[setup_enabled_key] = std::nullopt;
  if (changes.empty()) return write_state::done;
  return impl_->commit_for_host(changes, std::move(saved));
}

result<write_state> service::setup_mode_disable(saved_callback saved) {
  if (!impl_->setup_enabled()) return write_state::done;
  return impl_->commit_for_host({{setup_enabled_key, "0"}}, std::move(saved));
}

bool service::setup_mode_enabled() const { return impl_->setup_enabled(); }

std::string service::firmware_version() const {
  return impl_->nv.get(firmware_key).value_or(std::string(default_firmware_version));
}

std::string service::agent_version() const {
  // The firmware version string ends with the agent's; an image without one still runs this agent.
  auto from = [](std::string_view version) { return std::string(version.substr(version.find(agent_version_start))); };
  auto firmware = firmware_version();
  if (firmware.find(agent_version_start) != std::string::npos) return from(firmware);
  return from(default_firmware_version);
}

result<write_state> service::reset(saved_callback saved) {
  impl_->started = false;
  if (impl_->cloud) impl_->cloud->stop();
  impl_->forget_parts_and_key();
  nv_changes changes;
  for (const auto& config : config_names()) {
    std::string key(config.key);
    auto factory = impl_->nv.get(std::string(factory_prefix) + key);
    if (impl_->nv.get(key) != factory) changes[key] = factory;
  }
  if (changes.empty()) {
    impl_->report_status_change();
    return write_state::done;
  }
  return impl_->commit_for_host(changes, std::move(saved));
}

result<accepted> service::enable() {
  if (!impl_->cloud) return no_cloud();
  if (auto missing = impl_->missing_config()) return make_error(ada_code::missing, *missing);
  return impl_->cloud->enable(impl_->blocking_reason());
}

result<accepted> service::disable(const disable_request& request) {
  if (!impl_->cloud) return no_cloud();
  return impl_->cloud->disable(request);
}

result<accepted> service::listen(const listen_request& request) {
  if (!impl_->cloud) return no_cloud();
  return impl_->cloud->listen(request);
}

result<accepted> service::send_property(const property_send& request) {
  if (!impl_->cloud) return no_cloud();
  if (impl_->busy) return make_error(ada_code::busy, "agent busy");
  if (!impl_->cloud->connected()) return make_error(ada_code::err, "connection down");
  // Checked before a last part is taken, so a busy "sn" keeps the string and the host sends that "sn" again.
  const bool queues_a_value = !request.type.metadata && request.type.chunk.value_or(chunk_kind::last) == chunk_kind::last;
  if (auto room = impl_->cloud->room_for_request(); queues_a_value && !room.ok()) return room;
  std::optional<std::string> assembled;
  if (request.type.chunk) {
    auto whole = impl_->property_parts.add(*request.type.chunk, request.value);
    if (!whole.ok()) return whole.error();
    assembled = std::move(whole.value());
    if (!assembled) return accepted{};  // st / ss: wait for the last part
  }
  return impl_->cloud->send_property(request, assembled);
}

result<accepted> service::get_property(const property_get& request) {
  if (!impl_->cloud) return no_cloud();
  return impl_->cloud->get_property(request);
}

result<std::vector<std::string>> service::ota(const ota_request& request) {
  if (!impl_->cloud) return no_cloud();
  return impl_->cloud->ota(request);
}

}  // namespace apca
