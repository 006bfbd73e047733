#pragma once
// bring_up_host: the built-in host MCU of a fleet module (SPEC §9), doing what a careful host firmware does on a
// SIM7600's AT port: waits for the boot URCs, brings the agent up (start, enable, l), sends properties at a jittered
// pace, reads back the to-device properties the cloud changed, and takes module and host OTAs. Sans-I/O: it is fed
// the module's output and the time, and hands back the bytes to write and when it next wants to be woken.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleet/fleet_model.hpp"
#include "fleet/seeded_random.hpp"

namespace fleet {

// Where the host stands. ota_downloading and ota_applying stand for listening (or rebooting) while an OTA runs.
enum class host_phase : std::uint8_t {
  booting,          // waiting for the boot URCs (RDY ... PB DONE)
  starting,         // AT+ADA="start" (and the chosen mcu_mode) until "start","done"
  enabling,         // AT+ADA="enable" until "enable","RDY"
  connecting,       // AT+ADA="l" until "l","up"; or the link went down and the agent is bringing it back
  listening,        // "l","up": property sends, read-backs and OTAs run
  ota_downloading,  // listening, and a module image downloads (dl's OK to apply's OK) or a host image is read
  ota_applying,     // the module took "apply" and is about to reboot into the new firmware
  failed,           // the bring-up gave up (see failure_reason()); a reboot of the module starts it again
  silent,           // go_silent(): the host writes nothing more, ever
};
std::string_view host_phase_name(host_phase phase);

enum class ota_state : std::uint8_t { none, in_progress, succeeded, failed };
struct ota_outcome {
  ota_state state = ota_state::none;
  std::string id;      // the module's OTA id ("idm7", "idh3")
  std::string reason;  // failed: the lines that said so
};

struct host_counters {
  std::uint64_t properties_sent = 0;     // AT+ADA="s" lines written
  std::uint64_t properties_acked = 0;    // +ADA: "s",NAME,"status",0
  std::uint64_t properties_refused = 0;  // an "s" answered ERROR or not at all, or a status other than 0
  std::uint64_t to_device_read = 0;      // +ADA: "g","ok",... of a read_back property
  std::uint64_t retries = 0;             // commands written again after a failure
};

struct phase_change {
  host_phase from = host_phase::booting;
  host_phase to = host_phase::booting;
  milliseconds at{0};
};

// The host's patience (constants: a fleet file does not tune them).
inline constexpr milliseconds answer_deadline{30000};  // a final result, or the +ADA answer a command promises
inline constexpr int max_attempts = 5;                 // of one bring-up step or one OTA command, then it gives up
inline constexpr milliseconds first_retry{1000};       // doubled after each failure ...
inline constexpr milliseconds longest_retry{30000};    // ... up to this
inline constexpr milliseconds module_download_deadline{std::chrono::minutes(5)};  // dl OK (or link back) to ready
// The id the mcu_mode command names: the mode is the module's, not an offer's; the note's example says "idm1".
inline constexpr std::string_view mcu_mode_id = "idm1";

class bring_up_host {
 public:
  // `behaviour` is the module's group and must outlive the host (a fleet's groups do; its modules share one).
  // `seed` draws this module's send jitter. The host starts in `booting`: the module is powered on after it.
  bring_up_host(const group& behaviour, std::uint64_t seed);

  // Times are on the caller's monotonic clock (any epoch): the host never reads a clock.
  void on_output(std::string_view bytes, milliseconds now);  // what the module wrote on its AT port
  void on_time(milliseconds now);                              // next_wake() has come (early calls do no harm)
  void go_silent(milliseconds now);                            // the fault "a host that stops answering"

  std::string take_input();                   // bytes to write to the module; empty when none
  std::optional<milliseconds> next_wake() const;  // when on_time() is wanted next; nullopt: only on output

  host_phase phase() const;
  const std::string& failure_reason() const { return failure_; }  // phase failed: the lines that led there
  const host_counters& counters() const { return counters_; }
  const ota_outcome& module_ota() const { return module_ota_; }
  const ota_outcome& host_ota() const { return host_ota_; }
  // The last value read back (AT+ADA="g") of each read_back property, as the answer printed it (decoded).
  const std::map<std::string, std::string>& read_back_values() const { return read_values_; }
  std::vector<phase_change> take_events();  // every phase change since the last call, oldest first

 private:
  enum class stage : std::uint8_t { booting, starting, enabling, connecting, listening, failed, silent };
  enum class step : std::uint8_t { start, mcu_mode, enable, listen };
  // A bring-up step: `due` writes its command at step_at_; `commanded` waits for the final result; `awaiting`
  // for the +ADA answer until step_at_. `none` outside the bring-up (and after "l","down": the agent reconnects).
  enum class step_state : std::uint8_t { none, due, commanded, awaiting };
  enum class command_kind : std::uint8_t {
    start, mcu_mode, enable, listen, send, get, module_download, module_apply, host_download, host_status
  };
  struct in_flight {
    command_kind kind = command_kind::start;
    std::string line;
    milliseconds deadline{0};
    std::string error_line;  // a `+ADA: "<sub>","err",...` of the same sub-command seen before the final result
  };
  enum class module_stage : std::uint8_t { none, offered, downloading, ready, applying, rebooted };
  enum class host_stage : std::uint8_t { none, window_due, window_open, status_due };
  struct send_schedule {
    std::optional<milliseconds> due;  // set once the module first listens
    std::size_t next_value = 0;       // round robin over the group's values
  };

  // ---- lines ----
  void on_line(std::string_view line, milliseconds now);
  void on_final_result(bool ok, std::string_view line, milliseconds now);
  void on_ada(const std::vector<std::string>& fields, std::string_view line, milliseconds now);
  static std::string_view sub_of(command_kind kind);  // the sub-command its +ADA lines name
  void on_boot_started();
  void on_link_up(milliseconds now);
  void on_link_down();

  // ---- the bring-up ----
  void begin_bring_up(milliseconds now);
  void step_answered(milliseconds now);
  void step_succeeded(milliseconds now);
  void step_failed(std::string_view why, milliseconds now);  // why: what step_lines_ do not say (a deadline)
  void give_up(std::string reason);
  std::string step_command() const;
  std::string_view step_answer() const;

  // ---- what to write next ----
  void pump(milliseconds now);
  void write(command_kind kind, std::string line, milliseconds now);
  bool send_ota_command(milliseconds now);
  void send_property(std::size_t index, milliseconds now);
  milliseconds send_interval(const property_send& send);
  void command_timed_out(milliseconds now);
  void command_done(const in_flight& command, bool ok, std::string_view why, bool timed_out, milliseconds now);

  // ---- OTAs (bring_up_host_ota.cpp) ----
  void on_ota(const std::vector<std::string>& fields, std::string_view line, milliseconds now);
  void module_offered(const std::string& id, milliseconds now);
  void module_ready(const std::string& id, milliseconds now);
  void module_done(const std::string& id);
  void module_command_done(const in_flight& command, bool ok, std::string_view why, milliseconds now);
  void fail_module_ota(std::string reason);
  void host_offered(const std::vector<std::string>& fields, milliseconds now);
  void host_bytes(const std::vector<std::string>& fields, std::string_view line, milliseconds now);
  void host_finished(const std::string& id);
  void host_command_done(const in_flight& command, bool ok, std::string_view why, milliseconds now);
  void fail_host_ota(std::string reason, bool report);
  void ota_error(std::string_view line);
  void ota_command_failed(bool module, const in_flight& command, std::string_view why, milliseconds now);
  void ota_deadlines(milliseconds now);
  void ota_after_boot();
  void ota_after_link_up(milliseconds now);
  void ota_after_link_down();
  std::optional<milliseconds> ota_wake() const;
  bool ota_downloading() const;

  void note_phase(milliseconds now);
  static std::string within(milliseconds duration);  // "within 30 s", for reasons

  const group* group_;
  seeded_random random_;
  stage stage_ = stage::booting;
  step step_ = step::start;
  step_state step_state_ = step_state::none;
  bool step_answer_early_ = false;  // the +ADA answer came before the final result
  milliseconds step_at_{0};
  int step_failures_ = 0;
  std::vector<std::string> step_lines_;  // what the module said to the step's last command (for the reason)
  std::optional<in_flight> in_flight_;
  std::string partial_;  // the module's unfinished line
  std::string input_;    // bytes for the module
  std::string failure_;
  host_counters counters_;
  std::vector<send_schedule> sends_;
  std::vector<std::string> reads_wanted_;  // read_back properties the cloud changed, not read yet
  std::map<std::string, std::string> read_values_;

  ota_outcome module_ota_;
  module_stage module_stage_ = module_stage::none;
  int module_failures_ = 0;
  std::optional<milliseconds> module_at_;  // offered/ready: earliest (re)send; else the deadline of the wait

  ota_outcome host_ota_;
  host_stage host_stage_ = host_stage::none;
  int host_failures_ = 0;
  std::optional<milliseconds> host_at_;  // window_due: earliest (re)send; window_open: silence deadline
  std::uint64_t host_size_ = 0;
  std::uint64_t host_received_ = 0;
  int host_status_ = 0;  // what AT+ADA="ota","status" reports: 0, or 1 (the image did not come whole)

  host_phase reported_phase_ = host_phase::booting;
  std::vector<phase_change> events_;
};

}  // namespace fleet
