#pragma once
// radio_world: what surrounds the emulated SIM7600 and what it makes of it — the SIM, the radio, registration
// per domain, the operator, the signal, the packet domain (contexts and data calls, in modem_state), network
// time and the power supply — with the AT reporting settings (AT+CREG=<n>, AT+CGEREP, AT+CTZR, ...) that turn
// a change into URCs. Sans-I/O: every change returns what the host sees; the caller gives the time.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/gnss_sky.hpp"
#include "agent/modem_state.hpp"
#include "agent/sim_card.hpp"
#include "agent/sms_store.hpp"
#include "agent/ussd_network.hpp"

namespace agent {

// The three registration domains of 27.007: AT+CREG (circuit), AT+CGREG (GPRS), AT+CEREG (EPS).
enum class reg_domain { cs, gprs, eps };
inline constexpr std::array<reg_domain, 3> reg_domains{reg_domain::cs, reg_domain::gprs, reg_domain::eps};

struct network_operator {
  std::string long_name = "CHINA MOBILE";
  std::string short_name = "CMCC";
  std::string numeric = "46000";  // MCC and MNC
  int act = 7;                    // 27.007 <AcT>: 0 GSM, 2 UTRAN, 7 E-UTRAN
  bool operator==(const network_operator&) const = default;
};

// Where the network's location service places the serving cell (AT+CLBS). The default is in Shanghai, where the
// default operator (CHINA MOBILE, 46000) is.
struct cell_position {
  double latitude = 31.230416;    // degrees, -90..90
  double longitude = 121.473701;  // degrees, -180..180
  int accuracy_m = 550;           // metres
  bool operator==(const cell_position&) const = default;
};

// What a change of the world shows the host.
struct world_effects {
  std::vector<std::string> urcs;  // in order, without CR/LF
  bool power_down = false;        // the module switches itself off (under-voltage), as after AT+CPOF
};

// The radio as AT+CFUN / AT+CPOF leave it.
enum class radio_mode { minimum = 0, full = 1, flight = 4 };

class radio_world {
 public:
  static constexpr int signal_unknown = 99;
  // 27.007 <stat>: 0 not registered, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming.
  static constexpr int stat_home = 1;
  static constexpr int stat_searching = 2;

  // `on_data_call_change(up)` is told whenever "some data call is up" changes (the APCA service needs it).
  explicit radio_world(std::function<void(bool up)> on_data_call_change);

  // ===== Events: what a test makes happen (the control API of SPEC §7). Each returns what the host sees. =====
  world_effects sim_removed();                                    // the SIM leaves its holder; data calls drop
  world_effects sim_inserted();                                   // a SIM is back; its PIN asked if locked
  world_effects sim_lock(const std::string& pin);                 // the SIM now asks for `pin` (4-8 digits)
  world_effects coverage_lost();                                  // every domain searching; data calls drop
  world_effects coverage_restored();                              // every domain registers again
  world_effects set_registration(reg_domain domain, int stat);    // the network's verdict for one domain
  world_effects set_operator(network_operator op);                // what AT+COPS? and AT+CSPN? report
  world_effects set_signal(int rssi, int ber);                    // AT+CSQ values (0-31, 99 = unknown)
  world_effects data_call_drop(std::optional<int> cid);           // the network deactivates one or every context
  world_effects network_time(std::int64_t utc, int tz_quarters, int dst, std::int64_t now);  // NITZ
  world_effects clock_skew(std::int64_t seconds);                 // the module's clock jumps by `seconds`
  world_effects battery(int millivolts);                          // supply voltage; the manual's voltage URCs
  world_effects temperature(int celsius);                         // what AT+CPMUTEMP reports
  world_effects sms_deliver(const std::string& from, const std::string& text, std::int64_t now);  // +CMTI/+CMT per AT+CNMI
  world_effects move_cell(cell_position where);                  // what AT+CLBS answers from now on (no URC)

  // ===== State, as the AT commands and the control API's `state` read it =====
  const sim_card& sim() const { return sim_; }
  radio_mode radio() const { return radio_; }
  bool coverage() const { return coverage_; }
  // The 27.007 <stat> of a domain now: 0 with the radio off or no usable SIM, searching without coverage.
  int registration(reg_domain domain) const;
  bool registered(reg_domain domain) const;
  int report_mode(reg_domain domain) const { return report_modes_[index(domain)]; }
  // The <stat>[,<lac>,<ci>[,<AcT>]] part of a +CREG/+CGREG/+CEREG answer or URC, per the domain's <n>.
  std::string registration_fields(reg_domain domain) const;
  const network_operator& current_operator() const { return operator_; }
  // The networks a scan (AT+COPS=?) finds: the current one first.
  const std::vector<network_operator>& available_operators() const { return available_; }
  int rssi() const;  // 99 while nothing is received
  int ber() const;
  int network_mode() const { return network_mode_; }  // AT+CNMP
  // AT+CNSMOD <stat>: 0 no service, 1 GSM, 4 WCDMA, 8 LTE.
  int system_mode() const;
  bool attached() const;                                // AT+CGATT?
  bool packet_ready() const;                            // a data call can be up now
  modem_state& packet() { return packet_; }
  const modem_state& packet() const { return packet_; }
  int event_report_mode() const { return cgerep_; }    // AT+CGEREP
  bool auto_time_zone() const { return ctzu_; }         // AT+CTZU
  bool time_zone_reports() const { return ctzr_; }      // AT+CTZR
  std::int64_t clock_now(std::int64_t now) const { return now + clock_offset_; }  // UTC on the module's RTC
  int time_zone() const { return time_zone_; }          // quarters of an hour from UTC
  // A message the host sent (AT+CMGS), for the control API's `sms sent`.
  struct sent_sms {
    std::string destination;
    std::string text;  // for PDU mode, the 7-bit text decoded from the PDU
  };
  const std::vector<sent_sms>& sms_sent() const { return sms_sent_; }
  int battery_millivolts() const { return battery_mv_; }
  int temperature_celsius() const { return temperature_c_; }
  // The GNSS antenna's sky and motion (`gnss fix|route|lost`); the receiver reads it each epoch, so a change shows
  // no URC of its own.
  gnss_sky& sky() { return sky_; }
  const gnss_sky& sky() const { return sky_; }
  const cell_position& serving_cell_position() const { return cell_position_; }

  // ===== Changes the host makes through AT commands =====
  world_effects set_radio(radio_mode mode);               // AT+CFUN=0|1|4
  void set_report_mode(reg_domain domain, int n) { report_modes_[index(domain)] = n; }
  // AT+CPIN=, AT+CLCK="SC", AT+CPWD="SC": `operation` on the SIM, then what its new state shows (+CPIN: READY,
  // registration URCs, or calls lost after the last wrong PIN).
  world_effects sim_operation(const std::function<sim_card::outcome(sim_card&)>& operation,
                              sim_card::outcome& outcome);
  // AT+COPS=<mode>[,<format>[,<oper>]]: false when a manually chosen network is not available.
  bool select_operator(int mode, const std::string& numeric_or_name, world_effects& effects);
  int operator_mode() const { return operator_mode_; }
  int operator_format() const { return operator_format_; }
  void set_operator_format(int format) { operator_format_ = format; }
  world_effects set_network_mode(int mode);               // AT+CNMP (the system mode may change: +CNSMOD)
  int system_mode_reports() const { return cnsmod_reports_; }
  void set_system_mode_reports(int n) { cnsmod_reports_ = n; }
  world_effects set_attached(bool attached);              // AT+CGATT
  void set_event_reports(int mode) { cgerep_ = mode; }
  void set_auto_time_zone(bool on) { ctzu_ = on; }
  void set_time_zone_reports(bool on) { ctzr_ = on; }
  void set_clock(std::int64_t utc, int tz_quarters, std::int64_t now);  // AT+CCLK=
  sms_settings& sms() { return sms_settings_; }
  const sms_settings& sms() const { return sms_settings_; }
  // "SM" (the SIM's), "ME" (the module's); "MT" reads as the SIM's storage.
  sms_store& sms_storage(const std::string& name) { return name == "ME" ? module_sms_ : sim_sms_; }
  const sms_store& sms_storage(const std::string& name) const { return name == "ME" ? module_sms_ : sim_sms_; }
  void record_sent(sent_sms sms) { sms_sent_.push_back(std::move(sms)); }
  // The network's USSD service and the module's open session (AT+CUSD; the control API's `ussd reply|menu`).
  ussd_network& ussd() { return ussd_; }
  const ussd_network& ussd() const { return ussd_; }
  // Whether the circuit-switched services (voice calls, USSD) reach the network: a usable SIM and a registration.
  bool voice_service() const { return sim_.ready() && (registered(reg_domain::cs) || registered(reg_domain::eps)); }

  // The module rebooted: radio on, calls lost, reporting back to 0; the SIM asks for its PIN again if locked.
  void power_cycle();
  // The boot banner: RDY and the SIM's state (+CPIN: READY, SMS DONE, PB DONE when it is usable).
  std::vector<std::string> boot_urcs() const;

 private:
  struct snapshot {
    std::array<std::string, 3> registration;  // the fields of each domain's URC
    int system_mode = 0;
  };
  static std::size_t index(reg_domain domain) { return static_cast<std::size_t>(domain); }
  snapshot take_snapshot() const;
  // Who ended a data call: the host's own command (no URC), the network (+CGEV: NW ...) or the module itself
  // (+CGEV: ME ...); the last two also print +CAPNET: <cid>,0.
  enum class drop_cause { host, network, module };
  // Adds the URCs for what changed since `before` (registration per <n>, AT+CNSMOD), after dropping the calls the
  // new state cannot carry.
  world_effects report_since(const snapshot& before, drop_cause cause, world_effects effects = {});
  void drop_calls(std::optional<int> cid, drop_cause cause, world_effects& effects);

  sim_card sim_;
  radio_mode radio_ = radio_mode::full;
  bool coverage_ = true;
  std::array<int, 3> network_stats_{stat_home, stat_home, stat_home};
  std::array<int, 3> report_modes_{0, 0, 0};
  network_operator operator_;
  std::vector<network_operator> available_{network_operator{}};
  int operator_mode_ = 0;    // AT+COPS <mode>: 0 automatic, 1 manual, 2 deregistered, 4 manual/automatic
  int operator_format_ = 0;  // 0 long, 1 short, 2 numeric
  int rssi_ = 23;
  int ber_ = signal_unknown;
  int network_mode_ = 2;  // AT+CNMP: automatic
  int cnsmod_reports_ = 0;
  bool detached_by_host_ = false;
  modem_state packet_;
  int cgerep_ = 0;
  bool ctzu_ = false;
  bool ctzr_ = false;
  std::int64_t clock_offset_ = 0;
  int time_zone_ = 0;
  sms_store sim_sms_{30};
  sms_store module_sms_{23};
  sms_settings sms_settings_;
  std::vector<sent_sms> sms_sent_;
  ussd_network ussd_;
  int battery_mv_ = 3900;
  int temperature_c_ = 32;
  gnss_sky sky_;
  cell_position cell_position_;
};

}  // namespace agent
