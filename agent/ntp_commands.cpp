#include "agent/ntp_commands.hpp"

#include "apca/ada_text.hpp"

namespace agent {

// The forms, ranges and <err> codes follow SIMCom's AT+CNTP as its A76XX manual (V1.09 §14.2.3, §14.3.2) prints
// it; the SIM7600 manual's own page was not at hand. What the manual leaves open is chosen here: no data call
// is a network error (4), no server set a wrong parameter (2), a second AT+CNTP while one runs ERROR.
ntp_commands::ntp_commands(radio_world& world, ntp_command_ports ports)
    : world_(world),
      ports_(std::move(ports)),
      client_(ntp_client_ports{ports_.io, ports_.timers, ports_.clock, [this](ntp_result r) { finished(r); }}) {}

void ntp_commands::add_to(command_table& table) {
  table.add({.name = "+CNTP",
             .test = answer({"+CNTP: \"HOST\",(-96~96)"}),
             .read = handler(*this, &ntp_commands::read),
             .set = handler(*this, &ntp_commands::set),
             .set_args = {text(255), optional(integer(-96, 96))},
             .action = handler(*this, &ntp_commands::update)});
}

command_result ntp_commands::read() const {
  return command_result::ok({"+CNTP: " + apca::quote_at_string(host_) + "," + std::to_string(time_zone_)});
}

command_result ntp_commands::set(const at_params& params) {
  host_ = params.text(0);
  time_zone_ = params.integer(1, time_zone_);
  return command_result::ok();
}

command_result ntp_commands::update() {
  if (client_.busy()) return command_result::error();
  auto report = [this](ntp_error error) { ports_.post_urc("+CNTP: " + std::to_string(static_cast<int>(error))); };
  if (host_.empty()) {
    report(ntp_error::wrong_parameter);
  } else if (!world_.packet().data_call_up()) {
    report(ntp_error::network);
  } else {
    query_time_zone_ = time_zone_;
    client_.start(host_);
  }
  return command_result::ok();
}

void ntp_commands::finished(ntp_result result) {
  if (result.error == ntp_error::none) {
    world_.set_clock(result.utc, query_time_zone_, ports_.clock.unix_seconds());
    world_.packet().set_clock_synced(true);
    ports_.clock_synced();
  }
  ports_.post_urc("+CNTP: " + std::to_string(static_cast<int>(result.error)));
}

void ntp_commands::power_cycle() {
  client_.cancel();
  host_.clear();
  time_zone_ = default_time_zone;
}

}  // namespace agent
