#pragma once
// modem_state: the SIM7600's packet domain as the host drives it — PDP contexts (AT+CGDCONT), data calls
// (AT+CAPNET, AT+CGACT), time servers (AT+CHTTPSERV) and clock sync (AT+CHTTPUPDATE). Whether the network can
// carry a call is radio_world's to say. State and rules only: no output, no timers.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace agent {

struct pdp_context {
  std::string type;  // "IP", "PPP", "IPV6", "IPV4V6"
  std::string apn;
  enum class call { down, dialling, up };
  call state = call::down;
};

struct time_server {
  std::string host;
  int port = 80;
  int kind = 1;  // the fourth AT+CHTTPSERV parameter, kept as given
  bool operator==(const time_server&) const = default;
};

class modem_state {
 public:
  static constexpr int min_cid = 1;
  static constexpr int max_cid = 24;
  static constexpr std::size_t max_time_servers = 5;

  // `on_data_call_change(up)` is told whenever "some data call is up" changes (the APCA service needs it).
  explicit modem_state(std::function<void(bool up)> on_data_call_change);

  // ---- AT+CGDCONT ----
  static bool valid_cid(long cid) { return cid >= min_cid && cid <= max_cid; }
  static bool valid_pdp_type(const std::string& type);
  // False when the context has a data call (a live context cannot be redefined).
  bool define_context(int cid, std::string type, std::string apn);
  bool undefine_context(int cid);
  const std::map<int, pdp_context>& contexts() const { return contexts_; }

  // ---- AT+CAPNET ----
  enum class dial_outcome {
    dialling,       // the call comes up when finish_dial() is called (after the dial delay)
    already_up,
    no_context,     // cid not defined with AT+CGDCONT
    no_network,     // the radio is off, or no domain can carry packet data
  };
  dial_outcome dial(int cid, bool network_ready);
  // AT+CGACT=1: the call is up at once (false when cid is not defined).
  bool activate(int cid);
  // The oldest dialling context comes up; returns its cid (nullopt when none was dialling).
  std::optional<int> finish_dial();
  bool dialling() const;
  // False when cid is not defined. A dialling call is abandoned.
  bool hang_up(int cid);
  bool data_call_up() const;
  bool call_up(int cid) const;
  // Every call ends (dialling ones are abandoned).
  void drop_all_calls();

  // ---- AT+CHTTPSERV / AT+CHTTPUPDATE ----
  // Adds or replaces (same host) a time server; false when the list is full.
  bool add_time_server(time_server server);
  bool remove_time_server(const std::string& host);
  const std::vector<time_server>& time_servers() const { return time_servers_; }
  // Whether a clock sync can succeed now: a data call up and a time server configured.
  bool can_sync_clock() const { return data_call_up() && !time_servers_.empty(); }
  bool clock_synced() const { return clock_synced_; }
  void set_clock_synced(bool synced) { clock_synced_ = synced; }

  // An always-on data profile: context `cid` (defined with `apn` if it is not) is up at once and the clock is
  // taken from the network, so the host need not bring the link up itself (sim7600-emu --network auto).
  void attach_automatically(int cid, const std::string& apn);

  // The module rebooted: data calls lost. Contexts, time servers and the synchronised clock survive (the RTC keeps time; note sample 4.3 does not sync again after a reboot).
  void power_cycle();

 private:
  // Calls on_data_call_change_ if data_call_up() differs from `was_up`.
  void report_change(bool was_up);

  std::function<void(bool)> on_data_call_change_;
  std::map<int, pdp_context> contexts_;
  std::vector<int> dial_order_;  // dialling cids, oldest first
  std::vector<time_server> time_servers_;
  bool clock_synced_ = false;
};

}  // namespace agent
