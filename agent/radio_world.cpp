#include "agent/radio_world.hpp"

#include "agent/at_time.hpp"
#include "agent/sms_pdu.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace agent {
namespace {

// The serving cell the emulated network reports with <n>=2: location area / tracking area code and cell id.
constexpr const char* serving_area = "\"1816\",\"0C1B2A03\"";
constexpr const char* registration_names[] = {"+CREG: ", "+CGREG: ", "+CEREG: "};

// The manual's supply-voltage URCs (SIMCom spells WARNNING so) and the module's limits, in millivolts.
constexpr int under_voltage_power_down = 3300;
constexpr int under_voltage_warning = 3400;
constexpr int over_voltage_warning = 4300;
constexpr int over_voltage_power_down = 4400;

// A time zone in quarters of an hour as 27.007 writes it: "+32", "-08", "+00".
std::string time_zone_text(int quarters) {
  char text[16];
  std::snprintf(text, sizeof text, "%c%02d", quarters < 0 ? '-' : '+', quarters < 0 ? -quarters : quarters);
  return text;
}

// *PSUTTZ: <year>,<month>,<day>,<hour>,<min>,<sec>,"<tz>",<dst> — the network's time in UTC.
std::string psuttz_line(std::int64_t utc, int tz_quarters, int dst) {
  using namespace std::chrono;
  sys_seconds time{seconds{utc}};
  auto day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss clock{time - day};
  char text[64];
  std::snprintf(text, sizeof text, "*PSUTTZ: %d,%u,%u,%d,%d,%d,\"%s\",%d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()), time_zone_text(tz_quarters).c_str(), dst);
  return text;
}

bool is_registered(int stat) { return stat == 1 || stat == 5; }

std::string quoted_address(const std::string& number) { return "\"" + number + "\""; }

}  // namespace

radio_world::radio_world(std::function<void(bool up)> on_data_call_change)
    : packet_(std::move(on_data_call_change)) {}

// ---- state ----

int radio_world::registration(reg_domain domain) const {
  if (radio_ != radio_mode::full || !sim_.ready() || operator_mode_ == 2) return 0;
  if (!coverage_) return stat_searching;
  if (domain != reg_domain::cs && detached_by_host_) return 0;
  return network_stats_[index(domain)];
}

bool radio_world::registered(reg_domain domain) const { return is_registered(registration(domain)); }

std::string radio_world::registration_fields(reg_domain domain) const {
  const int stat = registration(domain);
  std::string fields = std::to_string(stat);
  if (report_mode(domain) == 2 && is_registered(stat)) {
    fields += ",";
    fields += serving_area;
    if (domain == reg_domain::eps) fields += "," + std::to_string(operator_.act);
  }
  return fields;
}

int radio_world::rssi() const { return radio_ == radio_mode::full && coverage_ ? rssi_ : signal_unknown; }
int radio_world::ber() const { return radio_ == radio_mode::full && coverage_ ? ber_ : signal_unknown; }

int radio_world::system_mode() const {
  if (!registered(reg_domain::eps) && !registered(reg_domain::cs)) return 0;
  // A single-technology AT+CNMP wins over what the operator offers.
  int act = network_mode_ == 13 ? 0 : network_mode_ == 14 ? 2 : network_mode_ == 38 ? 7 : operator_.act;
  return act == 7 ? 8 : act == 2 ? 4 : 1;
}

bool radio_world::attached() const { return registered(reg_domain::gprs) || registered(reg_domain::eps); }
bool radio_world::packet_ready() const { return attached(); }

std::vector<std::string> radio_world::boot_urcs() const {
  switch (sim_.state()) {
    case sim_card::status::absent: return {"RDY", "+SIMCARD: NOT AVAILABLE"};
    case sim_card::status::pin_required: return {"RDY", "+CPIN: SIM PIN"};
    case sim_card::status::puk_required: return {"RDY", "+CPIN: SIM PUK"};
    case sim_card::status::blocked: return {"RDY"};
    case sim_card::status::ready: break;
  }
  return {"RDY", "+CPIN: READY", "SMS DONE", "PB DONE"};
}

// ---- reporting ----

radio_world::snapshot radio_world::take_snapshot() const {
  snapshot shot;
  for (reg_domain domain : reg_domains) shot.registration[index(domain)] = registration_fields(domain);
  shot.system_mode = system_mode();
  return shot;
}

void radio_world::drop_calls(std::optional<int> cid, drop_cause cause, world_effects& effects) {
  std::vector<int> dropped;
  for (const auto& [context_id, context] : packet_.contexts()) {
    if ((!cid || *cid == context_id) && context.state == pdp_context::call::up) dropped.push_back(context_id);
  }
  if (cid) {
    packet_.hang_up(*cid);
  } else {
    packet_.drop_all_calls();
  }
  if (cause == drop_cause::host) return;
  for (int context_id : dropped) {
    if (cgerep_ != 0) {
      effects.urcs.push_back(std::string(cause == drop_cause::network ? "+CGEV: NW PDN DEACT " : "+CGEV: ME PDN DEACT ") +
                             std::to_string(context_id));
    }
    effects.urcs.push_back("+CAPNET: " + std::to_string(context_id) + ",0");
  }
}

world_effects radio_world::report_since(const snapshot& before, drop_cause cause, world_effects effects) {
  for (reg_domain domain : reg_domains) {
    std::string fields = registration_fields(domain);
    if (report_mode(domain) >= 1 && fields != before.registration[index(domain)]) {
      effects.urcs.push_back(registration_names[index(domain)] + fields);
    }
  }
  if (cnsmod_reports_ == 1 && system_mode() != before.system_mode) {
    effects.urcs.push_back("+CNSMOD: " + std::to_string(system_mode()));
  }
  if (!packet_ready()) drop_calls(std::nullopt, cause, effects);
  return effects;
}

// ---- events ----

world_effects radio_world::sim_removed() {
  auto before = take_snapshot();
  sim_.remove();
  return report_since(before, drop_cause::module, {{"+CPIN: NOT READY", "+SIMCARD: NOT AVAILABLE"}});
}

world_effects radio_world::sim_inserted() {
  auto before = take_snapshot();
  sim_.insert();
  std::vector<std::string> banner = boot_urcs();
  banner.erase(banner.begin());  // no RDY: the module did not restart
  return report_since(before, drop_cause::module, {std::move(banner)});
}

world_effects radio_world::sim_lock(const std::string& pin) {
  auto before = take_snapshot();
  sim_.lock_with(pin);
  return report_since(before, drop_cause::module, {{"+CPIN: SIM PIN"}});
}

world_effects radio_world::sim_operation(const std::function<sim_card::outcome(sim_card&)>& operation,
                                         sim_card::outcome& outcome) {
  auto before = take_snapshot();
  const bool was_ready = sim_.ready();
  outcome = operation(sim_);
  world_effects effects;
  if (!was_ready && sim_.ready()) effects.urcs = {"+CPIN: READY", "SMS DONE", "PB DONE"};
  return report_since(before, drop_cause::module, std::move(effects));
}

world_effects radio_world::coverage_lost() {
  auto before = take_snapshot();
  coverage_ = false;
  return report_since(before, drop_cause::network);
}

world_effects radio_world::coverage_restored() {
  auto before = take_snapshot();
  coverage_ = true;
  return report_since(before, drop_cause::network);
}

world_effects radio_world::set_registration(reg_domain domain, int stat) {
  auto before = take_snapshot();
  network_stats_[index(domain)] = stat;
  return report_since(before, drop_cause::network);
}

world_effects radio_world::set_operator(network_operator op) {
  auto before = take_snapshot();
  std::erase_if(available_, [&](const network_operator& known) { return known.numeric == op.numeric; });
  available_.insert(available_.begin(), op);
  operator_ = std::move(op);
  return report_since(before, drop_cause::network);
}

world_effects radio_world::set_signal(int rssi, int ber) {
  rssi_ = rssi;
  ber_ = ber;
  return {};
}

world_effects radio_world::data_call_drop(std::optional<int> cid) {
  world_effects effects;
  drop_calls(cid, drop_cause::network, effects);
  return effects;
}

world_effects radio_world::network_time(std::int64_t utc, int tz_quarters, int dst, std::int64_t now) {
  if (ctzu_) set_clock(utc, tz_quarters, now);
  if (!ctzr_) return {};
  return {{"+CTZV: " + time_zone_text(tz_quarters), psuttz_line(utc, tz_quarters, dst), "DST: " + std::to_string(dst)}};
}

world_effects radio_world::clock_skew(std::int64_t seconds) {
  clock_offset_ += seconds;
  return {};
}

world_effects radio_world::battery(int millivolts) {
  battery_mv_ = millivolts;
  if (millivolts < under_voltage_power_down) return {{"UNDER-VOLTAGE POWER DOWN"}, true};
  if (millivolts < under_voltage_warning) return {{"UNDER-VOLTAGE WARNNING"}};
  if (millivolts > over_voltage_power_down) return {{"OVER-VOLTAGE POWER DOWN"}, true};
  if (millivolts > over_voltage_warning) return {{"OVER-VOLTAGE WARNNING"}};
  return {};
}

world_effects radio_world::temperature(int celsius) {
  temperature_c_ = celsius;
  return {};
}

world_effects radio_world::move_cell(cell_position where) {
  cell_position_ = where;
  return {};
}

world_effects radio_world::sms_deliver(const std::string& from, const std::string& text, std::int64_t now) {
  if (!sim_.ready() || (!registered(reg_domain::cs) && !registered(reg_domain::eps))) return {};
  sms_message message{sms_message::status::received_unread, from, clock_now(now), time_zone_, text};
  const int mode = sms_settings_.cnmi[0];
  const int routing = sms_settings_.cnmi[1];
  if (routing == 2 && mode != 0) {  // routed to the host at once, not stored
    if (sms_settings_.format == 1) {
      return {{"+CMT: " + quoted_address(from) + ",\"\",\"" + at_time_text(message.sent_at, message.time_zone) + "\"\r\n" + text}};
    }
    auto pdu = deliver_pdu(sms_settings_.service_centre, message);
    return {{"+CMT: ," + std::to_string(pdu.tpdu_length) + "\r\n" + pdu.hex}};
  }
  const std::string& storage = sms_settings_.storages[2];
  auto index = sms_storage(storage).add(std::move(message));
  if (!index || mode == 0 || routing == 0) return {};
  return {{"+CMTI: \"" + storage + "\"," + std::to_string(*index)}};
}

// ---- the host's changes ----

world_effects radio_world::set_radio(radio_mode mode) {
  auto before = take_snapshot();
  radio_ = mode;
  return report_since(before, drop_cause::host);
}

bool radio_world::select_operator(int mode, const std::string& wanted, world_effects& effects) {
  auto before = take_snapshot();
  if (mode == 1 || mode == 4) {
    auto found = std::find_if(available_.begin(), available_.end(), [&](const network_operator& op) {
      return op.numeric == wanted || op.long_name == wanted || op.short_name == wanted;
    });
    if (found == available_.end()) {
      if (mode == 1) return false;
      mode = 0;  // manual/automatic: back to automatic when the chosen network is not there
    } else {
      operator_ = *found;
    }
  }
  if (mode == 0) operator_ = available_.front();
  if (mode != 3) operator_mode_ = mode == 4 ? 1 : mode;
  effects = report_since(before, drop_cause::host);
  return true;
}

world_effects radio_world::set_network_mode(int mode) {
  auto before = take_snapshot();
  network_mode_ = mode;
  return report_since(before, drop_cause::host);
}

world_effects radio_world::set_attached(bool attached) {
  auto before = take_snapshot();
  detached_by_host_ = !attached;
  return report_since(before, drop_cause::host);
}

void radio_world::set_clock(std::int64_t utc, int tz_quarters, std::int64_t now) {
  clock_offset_ = utc - now;
  time_zone_ = tz_quarters;
}

void radio_world::power_cycle() {
  radio_ = radio_mode::full;
  report_modes_ = {0, 0, 0};
  operator_mode_ = 0;
  operator_format_ = 0;
  operator_ = available_.front();
  cnsmod_reports_ = 0;
  detached_by_host_ = false;
  cgerep_ = 0;
  ctzr_ = false;
  sms_settings_ = {};
  ussd_.cancel();
  if (sim_.state() != sim_card::status::absent) sim_.insert();
  packet_.power_cycle();
}

}  // namespace agent
