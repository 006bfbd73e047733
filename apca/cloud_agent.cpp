#include "apca/cloud_agent.hpp"

#include "ads_client/device_protocol.hpp"
#include "apca/ada_text.hpp"

namespace apca {

namespace api = ads_client::device_api;

namespace {

std::string base_type_name(property_type type) {
  switch (type) {
    case property_type::boolean: return "boolean";
    case property_type::integer: return "integer";
    case property_type::decimal: return "decimal";
    case property_type::string: return "string";
  }
  return "string";
}

// `<type>,<value>` as +ADA lines print a property: b/i/d bare, s quoted.
std::optional<std::string> typed_value(const api::property_update& property) {
  auto letter = api::at_type_of(property.base_type);
  auto text = api::value_to_text(property.base_type, property.value);
  if (!letter || !text) return std::nullopt;
  const std::string value = *letter == 's' ? quote_at_string(*text) : *text;
  return quote_at_string(std::string(1, *letter)) + "," + value;
}

ada_error connection_down() { return {ada_code::err, "connection down"}; }

}  // namespace

cloud_agent::cloud_agent(host& host)
    : host_(host),
      session_(host_.cloud(), host_.timers(), host_.clock(), *this, [this] { return host_.random01(); }),
      ota_(host_.urcs(), *this,
           ota_effects{[this](std::map<std::string, std::string> values, std::function<void(bool)> done) {
                         host_.store(std::move(values), std::move(done));
                       },
                       [this] { host_.reboot(); }, [this] { return host_.firmware_version(); }},
           host_.nv()) {}

cloud_agent::~cloud_agent() = default;

// ---- the link ----

void cloud_agent::step(link_event event, const ada_error* why) {
  const link_state from = state_;
  state_ = next_link_state(from, event);
  if (state_ == link_state::online && from != link_state::online) {
    switch (greeting_of(from)) {
      case link_greeting::ready: host_.urcs().urc("+ADA: \"enable\",\"RDY\""); break;
      case link_greeting::rewake: host_.urcs().urc("+ADA: \"disable\",\"rewake\""); break;
      case link_greeting::none: break;
    }
  }
  // The host waits for RDY after enable: a first failure (or a refusal) is said once, clearly.
  if (why && link_error_said(state_) && !link_error_said(from)) host_.urcs().urc(ada_error_line("enable", *why));
}

void cloud_agent::say_listening(const char* word) {
  if (listening_as_) host_.urcs().urc("+ADA: " + quote_at_string(*listening_as_) + ",\"" + word + "\"");
}

// ---- host commands ----

result<accepted> cloud_agent::enable(int blocking_reason) {
  step(link_event::enable);
  host_.timers().cancel_timer(timer_id::disable_rewake);
  may_connect_ = blocking_reason == 0;
  if (session_.online()) {
    step(link_event::up);  // already connected: say so again
  } else if (may_connect_) {
    session_.connect(credentials());
  }
  host_.status_changed();
  return accepted{};
}

result<accepted> cloud_agent::disable(const disable_request& request) {
  host_.timers().cancel_timer(timer_id::disable_rewake);
  if (request.rewake_seconds) {
    host_.timers().start_timer(timer_id::disable_rewake, std::chrono::seconds(*request.rewake_seconds));
  }
  // Queued sends go out first; "disable","ok" follows once they have.
  const bool sends_left = session_.online() && session_.pending_work() > 0;
  step(sends_left ? link_event::disable_after_sends : link_event::disable);
  if (state_ != link_state::draining) finish_disable();
  return accepted{};
}

void cloud_agent::finish_disable() {
  step(link_event::drained);
  if (session_.online()) say_listening("down");
  session_.disconnect();
  host_.urcs().urc("+ADA: \"disable\",\"ok\"");
  host_.status_changed();
}

result<accepted> cloud_agent::listen(const listen_request& request) {
  listening_as_ = request.as_typed;
  if (session_.online()) {
    say_listening("up");
    session_.set_listening(true);
    host_.status_changed();
  }
  return accepted{};
}

result<accepted> cloud_agent::send_property(const property_send& request,
                                            const std::optional<std::string>& assembled) {
  if (!session_.online() || state_ == link_state::draining) return connection_down();
  if (request.type.metadata) {
    pending_metadata_[request.name][request.metadata_key] = request.value;
    return accepted{};
  }
  if (request.type.chunk && !assembled) return accepted{};  // st / ss: more parts to come
  datapoint point;
  point.name = request.name;
  point.base_type = base_type_name(request.type.type.value_or(property_type::string));
  point.value = assembled.value_or(request.value);
  if (auto metadata = pending_metadata_.find(request.name); metadata != pending_metadata_.end()) {
    point.metadata = std::move(metadata->second);
    pending_metadata_.erase(metadata);
  }
  session_.send(std::move(point));
  return accepted{};
}

result<accepted> cloud_agent::room_for_request() const {
  if (session_.queue_full()) return ada_error{ada_code::busy, "send queue full"};
  return accepted{};
}

result<accepted> cloud_agent::get_property(const property_get& request) {
  if (!session_.online()) return connection_down();
  if (auto room = room_for_request(); !room.ok()) return room;
  session_.get(request.name);
  return accepted{};
}

result<std::vector<std::string>> cloud_agent::ota(const ota_request& request) { return ota_.handle(request); }

// ---- conditions ----

void cloud_agent::conditions_changed(bool may_connect) {
  may_connect_ = may_connect;
  if (!link_enabled(state_)) return;
  if (!may_connect_ && session_.active()) {
    const bool was_online = session_.online();
    session_.suspend();  // the network went, not the host's wish: what the host sent still goes, later
    step(link_event::network_lost);
    if (was_online) say_listening("down");
  } else if (may_connect_ && !session_.active() && !link_refused(state_)) {
    session_.connect(credentials());
  }
}

void cloud_agent::stop() {
  session_.disconnect();
  host_.timers().cancel_timer(timer_id::disable_rewake);
  step(link_event::stop);
  listening_as_.reset();
  pending_metadata_.clear();
}

void cloud_agent::power_cycle(const config_store::nv_image& nv) {
  stop();
  ota_.power_cycle(nv);
}

void cloud_agent::on_timer(timer_id id) {
  if (id == timer_id::service_connect || id == timer_id::service_poll || id == timer_id::ans)
    return session_.on_timer(id);
  if (id == timer_id::disable_rewake) {
    step(link_event::rewake);
    if (may_connect_ && !session_.active()) session_.connect(credentials());
    host_.status_changed();
  }
}

void cloud_agent::host_output_drained() { ota_.on_host_output_drained(); }
bool cloud_agent::awaits_host_output_drained() const { return ota_.awaits_host_output_drained(); }

void cloud_agent::template_version_changed(const std::string& version) {
  if (session_.online()) session_.update_template_version(version);
}

connection_status cloud_agent::status() const { return status_of(state_, listening_as_.has_value()); }

// ---- the session's events ----

void cloud_agent::on_online() {
  step(link_event::up);
  host_.status_changed();
  if (listening_as_) {
    say_listening("up");
    session_.set_listening(true);
  }
  ota_.on_online();
}

void cloud_agent::on_offline(const ada_error& why, bool refused) {
  // Only a connection that was up goes "down"; on_offline comes after the session already left online.
  if (state_ == link_state::online || state_ == link_state::draining) say_listening("down");
  const bool draining = state_ == link_state::draining;
  step(refused ? link_event::refused : link_event::failed, &why);
  if (draining) finish_disable();
  host_.status_changed();
}

void cloud_agent::on_provisioned(const std::string& dsn, const std::string& public_key,
                                 std::function<void(bool stored)> stored) {
  host_.store({{"id/dev_id", dsn}, {"id/key", public_key}}, std::move(stored));
}

void cloud_agent::on_send_status(const std::string& name, int status_code) {
  host_.urcs().urc("+ADA: \"s\"," + quote_at_string(name) + ",\"status\"," + std::to_string(status_code));
  if (state_ == link_state::draining && session_.pending_work() == 0) finish_disable();
}

void cloud_agent::on_get_result(const std::string& name, const result<api::property_update>& got) {
  if (!got.ok()) return host_.urcs().urc(ada_error_line("g", got.error()));
  auto value = typed_value(got.value());
  if (!value) {
    return host_.urcs().urc(ada_error_line("g", ada_error{ada_code::invalid, "no value for " + name}));
  }
  host_.urcs().urc("+ADA: \"g\",\"ok\"," + quote_at_string(name) + "," + *value);
}

void cloud_agent::on_to_device(const api::property_update& update) {
  if (auto value = typed_value(update)) {
    host_.urcs().urc("+ADA: \"p\"," + quote_at_string(update.name) + "," + *value);
  }
}

void cloud_agent::on_command(const api::command& command) { ota_.on_command(command); }

// ---- ota_cloud over the session ----

bool cloud_agent::online() const { return session_.online(); }

void cloud_agent::fetch_range(const image_location& where, std::uint64_t offset, std::uint64_t length,
                              fetch_done done) {
  session_.fetch_range(where.target, where.on_service, offset, length, std::move(done));
}

void cloud_agent::fetch_location(const std::string& path, fetch_done done) {
  session_.fetch_location(path, std::move(done));
}

void cloud_agent::report_command_result(const std::string& uri, int status) {
  session_.report_command_result(uri, status);
}

void cloud_agent::report_ota_failed(const std::string& type, int status) { session_.report_ota_failed(type, status); }

// ---- config ----

cloud_credentials cloud_agent::credentials() const {
  const config_store::nv_image& nv = host_.nv();
  auto get = [&nv](const char* key) { return nv.get(key).value_or(""); };
  cloud_credentials credentials;
  credentials.dsn = get("id/dev_id");
  credentials.public_key = get("id/key");
  credentials.oem_id = get("oem/id");
  credentials.oem_model = get("oem/model");
  credentials.oem_secret = get("oem/secret");
  credentials.template_version = get("oem/template_version");
  credentials.region = get("server/region");
  credentials.sw_version = host_.firmware_version();
  credentials.key_id = get("oem/keyid");
  credentials.hwid = get("oem/hwid");
  if (credentials.dsn.empty()) {
    if (auto signed_claim = host_.provisioning()) {
      credentials.provisioning_rand = signed_claim->rand;
      credentials.provisioning_signature = signed_claim->signature;
    }
  }
  return credentials;
}

}  // namespace apca
