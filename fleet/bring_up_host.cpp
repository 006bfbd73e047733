#include "fleet/bring_up_host.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "apca/backoff.hpp"
#include "fleet/ada_wire.hpp"

namespace fleet {
namespace {

// Longer module lines are cut: none the host acts on comes close (a host OTA part is about 100 characters).
constexpr std::size_t longest_line = 4096;
// What a failure reason keeps of the module's answer to the failing command.
constexpr std::size_t kept_step_lines = 8;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_final_error(std::string_view line) { return line == "ERROR" || line.starts_with("+CME ERROR"); }

}  // namespace

std::string_view host_phase_name(host_phase phase) {
  switch (phase) {
    case host_phase::booting: return "booting";
    case host_phase::starting: return "starting";
    case host_phase::enabling: return "enabling";
    case host_phase::connecting: return "connecting";
    case host_phase::listening: return "listening";
    case host_phase::ota_downloading: return "ota_downloading";
    case host_phase::ota_applying: return "ota_applying";
    case host_phase::failed: return "failed";
    case host_phase::silent: return "silent";
  }
  return "?";
}

bring_up_host::bring_up_host(const group& behaviour, std::uint64_t seed)
    : group_(&behaviour), random_(seed), sends_(behaviour.sends.size()) {}

// ---- what the module says ----

void bring_up_host::on_output(std::string_view bytes, milliseconds now) {
  for (char c : bytes) {
    if (stage_ == stage::silent) return;
    if (c != '\r' && c != '\n') {
      if (partial_.size() < longest_line) partial_ += c;
      continue;
    }
    if (partial_.empty()) continue;  // the empty lines around every answer
    const std::string line = std::exchange(partial_, {});
    on_line(line, now);
    pump(now);
    note_phase(now);
  }
}

void bring_up_host::on_line(std::string_view line, milliseconds now) {
  if (in_flight_ && line == in_flight_->line) return;  // the echo: on after every boot (ATE1)
  if (step_state_ == step_state::commanded || step_state_ == step_state::awaiting) {
    if (step_lines_.size() == kept_step_lines) step_lines_.erase(step_lines_.begin());
    step_lines_.emplace_back(line);
  }
  if (line == "RDY") return on_boot_started();
  if (line == "PB DONE") {
    if (stage_ != stage::booting) on_boot_started();  // its RDY went by unseen: a boot all the same
    return begin_bring_up(now);
  }
  if (line == "OK" || is_final_error(line)) return on_final_result(line == "OK", line, now);
  if (auto fields = ada_fields(line)) on_ada(*fields, line, now);
}

void bring_up_host::on_final_result(bool ok, std::string_view line, milliseconds now) {
  if (!in_flight_) return;  // the late answer to a command the host stopped waiting for
  const in_flight command = std::move(*in_flight_);
  in_flight_.reset();
  std::string why;
  if (!ok) why = command.error_line.empty() ? std::string(line) : command.error_line + " | " + std::string(line);
  command_done(command, ok, why, false, now);
}

void bring_up_host::command_timed_out(milliseconds now) {
  const in_flight command = std::move(*in_flight_);
  in_flight_.reset();
  command_done(command, false, "no answer " + within(answer_deadline), true, now);
}

void bring_up_host::command_done(const in_flight& command, bool ok, std::string_view why, bool timed_out,
                                 milliseconds now) {
  switch (command.kind) {
    case command_kind::start:
    case command_kind::mcu_mode:
    case command_kind::enable:
    case command_kind::listen:
      if (step_state_ != step_state::commanded) return;
      if (!ok) return step_failed(timed_out ? why : std::string_view{}, now);  // the lines say why
      if (command.kind == command_kind::mcu_mode || step_answer_early_) return step_succeeded(now);
      step_state_ = step_state::awaiting;
      step_at_ = now + answer_deadline;
      return;
    case command_kind::send:
      if (!ok) ++counters_.properties_refused;
      return;
    case command_kind::get:
      return;  // its answer, or its error, comes as a URC
    case command_kind::module_download:
    case command_kind::module_apply:
      module_command_done(command, ok, why, now);
      break;
    case command_kind::host_download:
    case command_kind::host_status:
      host_command_done(command, ok, why, now);
      break;
  }
  // An OTA failure the module printed just before this command's OK was not this command's: it stands.
  if (ok && !command.error_line.empty()) ota_error(command.error_line);
}

void bring_up_host::on_ada(const std::vector<std::string>& fields, std::string_view line, milliseconds now) {
  const std::string sub = lower(fields[0]);
  auto field = [&fields](std::size_t index) { return ada_field(fields, index); };
  if (field(1) == "err" && in_flight_ && sub == sub_of(in_flight_->kind)) {
    // A command's own error line comes before its ERROR (SPEC §3): the final result decides, with this as why.
    in_flight_->error_line = line;
    return;
  }
  if (sub == "start") {
    if (field(1) == "done" && step_ == step::start) step_answered(now);
  } else if (sub == "enable") {
    if (step_ != step::enable || stage_ != stage::enabling) return;
    if (field(1) == "RDY") step_answered(now);
    // Said once while the agent keeps trying; the host tries again all the same (bounded).
    if (field(1) == "err" && step_state_ == step_state::awaiting) step_failed({}, now);
  } else if (sub == "l" || sub == "i") {
    if (field(1) == "up") {
      if (step_ == step::listen && step_state_ != step_state::none) return step_answered(now);
      if (stage_ == stage::connecting && step_state_ == step_state::none) on_link_up(now);
    } else if (field(1) == "down" && stage_ == stage::listening) {
      on_link_down();
    }
  } else if (sub == "s") {
    if (field(2) != "status") return;
    if (field(3) == "0") {
      ++counters_.properties_acked;
    } else {
      ++counters_.properties_refused;
    }
  } else if (sub == "g") {
    const auto& wanted = group_->read_back;
    if (field(1) != "ok" || fields.size() < 5) return;
    if (std::find(wanted.begin(), wanted.end(), fields[2]) == wanted.end()) return;
    read_values_[fields[2]] = fields[4];
    ++counters_.to_device_read;
  } else if (sub == "p") {
    // The cloud changed a to-device property: a careful host reads it with "g" rather than trust the URC alone.
    const auto& wanted = group_->read_back;
    if (fields.size() < 4 || std::find(wanted.begin(), wanted.end(), fields[1]) == wanted.end()) return;
    if (std::find(reads_wanted_.begin(), reads_wanted_.end(), fields[1]) == reads_wanted_.end()) {
      reads_wanted_.push_back(fields[1]);
    }
  } else if (sub == "ota") {
    on_ota(fields, line, now);
  }
}

std::string_view bring_up_host::sub_of(command_kind kind) {
  switch (kind) {
    case command_kind::start: return "start";
    case command_kind::enable: return "enable";
    case command_kind::listen: return "l";
    case command_kind::send: return "s";
    case command_kind::get: return "g";
    case command_kind::mcu_mode:
    case command_kind::module_download:
    case command_kind::module_apply:
    case command_kind::host_download:
    case command_kind::host_status: return "ota";
  }
  return {};
}

void bring_up_host::on_boot_started() {
  // A reboot ends whatever was under way: the module forgot the command, the service and its link.
  stage_ = stage::booting;
  step_state_ = step_state::none;
  in_flight_.reset();
  reads_wanted_.clear();
  ota_after_boot();
}

void bring_up_host::on_link_up(milliseconds now) {
  stage_ = stage::listening;
  for (std::size_t i = 0; i < sends_.size(); ++i) {
    if (!sends_[i].due && !group_->sends[i].values.empty()) sends_[i].due = now + send_interval(group_->sends[i]);
  }
  ota_after_link_up(now);
}

void bring_up_host::on_link_down() {
  // The agent reconnects by itself and says "up" again, still listening: the host waits and sends nothing meanwhile.
  stage_ = stage::connecting;
  ota_after_link_down();
}

// ---- the bring-up ----

void bring_up_host::begin_bring_up(milliseconds now) {
  stage_ = stage::starting;
  step_ = step::start;
  step_state_ = step_state::due;
  step_at_ = now;
  step_failures_ = 0;
  step_lines_.clear();
}

void bring_up_host::step_answered(milliseconds now) {
  if (step_state_ == step_state::commanded) {
    step_answer_early_ = true;  // the final result is still to come
  } else if (step_state_ != step_state::none) {
    step_succeeded(now);  // awaited, or the answer to an earlier attempt while waiting to try again
  }
}

void bring_up_host::step_succeeded(milliseconds now) {
  step_failures_ = 0;
  step_lines_.clear();
  step_state_ = step_state::due;
  step_at_ = now;
  switch (step_) {
    case step::start:
      if (group_->module_ota && !group_->module_ota->mcu_mode.empty()) {
        step_ = step::mcu_mode;
        return;
      }
      [[fallthrough]];
    case step::mcu_mode:
      step_ = step::enable;
      stage_ = stage::enabling;
      return;
    case step::enable:
      step_ = step::listen;
      stage_ = stage::connecting;
      return;
    case step::listen:
      step_state_ = step_state::none;
      on_link_up(now);
      return;
  }
}

void bring_up_host::step_failed(std::string_view why, milliseconds now) {
  ++step_failures_;
  std::string reason = step_command() + " (attempt " + std::to_string(step_failures_) + " of " +
                       std::to_string(max_attempts) + "):";
  const char* separator = " ";
  for (const auto& line : step_lines_) {
    reason += separator + line;
    separator = " | ";
  }
  if (!why.empty()) reason += separator + std::string(why);
  if (step_failures_ >= max_attempts) return give_up(std::move(reason));
  ++counters_.retries;
  step_state_ = step_state::due;
  step_at_ = now + apca::doubling_backoff(first_retry, longest_retry, step_failures_);
}

void bring_up_host::give_up(std::string reason) {
  stage_ = stage::failed;
  step_state_ = step_state::none;
  in_flight_.reset();
  if (module_ota_.state == ota_state::in_progress) fail_module_ota("the bring-up failed: " + reason);
  if (host_ota_.state == ota_state::in_progress) fail_host_ota("the bring-up failed: " + reason, false);
  failure_ = std::move(reason);
}

std::string bring_up_host::step_command() const {
  switch (step_) {
    case step::start: return ada_command({"start"});
    case step::mcu_mode:
      return ada_command({"ota", "mcu_mode", "module", mcu_mode_id}, "," + group_->module_ota->mcu_mode);
    case step::enable: return ada_command({"enable"});
    case step::listen: return ada_command({"l"});
  }
  return {};
}

std::string_view bring_up_host::step_answer() const {
  switch (step_) {
    case step::start: return R"(+ADA: "start","done")";
    case step::enable: return R"(+ADA: "enable","RDY")";
    case step::listen: return R"(+ADA: "l","up")";
    case step::mcu_mode: break;
  }
  return "OK";
}

// ---- what to write next ----

void bring_up_host::pump(milliseconds now) {
  if (stage_ == stage::booting || stage_ == stage::failed || stage_ == stage::silent || in_flight_) return;
  if (step_state_ == step_state::due) {
    if (now < step_at_) return;
    static constexpr command_kind kinds[] = {command_kind::start, command_kind::mcu_mode, command_kind::enable,
                                             command_kind::listen};
    step_lines_.clear();
    step_answer_early_ = false;
    step_state_ = step_state::commanded;
    write(kinds[static_cast<std::size_t>(step_)], step_command(), now);
    return;
  }
  if (step_state_ != step_state::none) return;  // a bring-up answer is awaited
  if (send_ota_command(now) || stage_ != stage::listening) return;
  if (!reads_wanted_.empty()) {
    const std::string name = reads_wanted_.front();
    reads_wanted_.erase(reads_wanted_.begin());
    write(command_kind::get, ada_command({"g", name}), now);
    return;
  }
  std::optional<std::size_t> earliest;
  for (std::size_t i = 0; i < sends_.size(); ++i) {
    if (sends_[i].due && *sends_[i].due <= now && (!earliest || *sends_[i].due < *sends_[*earliest].due)) earliest = i;
  }
  if (earliest) send_property(*earliest, now);
}

void bring_up_host::write(command_kind kind, std::string line, milliseconds now) {
  input_ += line;
  input_ += '\r';
  in_flight_ = in_flight{kind, std::move(line), now + answer_deadline, {}};
}

void bring_up_host::send_property(std::size_t index, milliseconds now) {
  const property_send& send = group_->sends[index];
  send_schedule& schedule = sends_[index];
  schedule.due = now + send_interval(send);
  const std::string& value = send.values[schedule.next_value];
  schedule.next_value = (schedule.next_value + 1) % send.values.size();
  ++counters_.properties_sent;
  write(command_kind::send, ada_command({"s", send.name, send.type, value}), now);
}

milliseconds bring_up_host::send_interval(const property_send& send) {
  // every * (1 ± jitter): uniform over the whole spread, drawn from this module's own seed.
  const double spread = std::clamp(send.jitter, 0.0, 1.0) * (2 * random_.unit() - 1);
  const double interval = static_cast<double>(send.every.count()) * (1 + spread);
  return milliseconds(std::max<long long>(1, std::llround(interval)));
}

// ---- time ----

void bring_up_host::on_time(milliseconds now) {
  if (stage_ == stage::silent) return;
  if (in_flight_ && now >= in_flight_->deadline) command_timed_out(now);
  if (step_state_ == step_state::awaiting && now >= step_at_) {
    step_failed("no " + std::string(step_answer()) + " " + within(answer_deadline), now);
  }
  ota_deadlines(now);
  pump(now);
  note_phase(now);
}

std::optional<milliseconds> bring_up_host::next_wake() const {
  if (stage_ == stage::silent || stage_ == stage::failed) return std::nullopt;
  std::optional<milliseconds> wake;
  auto consider = [&wake](std::optional<milliseconds> at) {
    if (at && (!wake || *at < *wake)) wake = at;
  };
  if (in_flight_) consider(in_flight_->deadline);
  // Only what the host can act on then: a send that is due while a command is out waits for its final result.
  if (step_state_ == step_state::awaiting || (step_state_ == step_state::due && !in_flight_)) consider(step_at_);
  consider(ota_wake());
  if (!in_flight_ && stage_ == stage::listening && step_state_ == step_state::none) {
    for (const auto& send : sends_) consider(send.due);
  }
  return wake;
}

void bring_up_host::go_silent(milliseconds now) {
  stage_ = stage::silent;
  step_state_ = step_state::none;
  in_flight_.reset();
  input_.clear();
  note_phase(now);
}

// ---- what the runner reads ----

std::string bring_up_host::take_input() { return std::exchange(input_, {}); }

host_phase bring_up_host::phase() const {
  if (stage_ == stage::silent) return host_phase::silent;
  if (stage_ == stage::failed) return host_phase::failed;
  if (module_stage_ == module_stage::applying) return host_phase::ota_applying;
  switch (stage_) {
    case stage::booting: return host_phase::booting;
    case stage::starting: return host_phase::starting;
    case stage::enabling: return host_phase::enabling;
    case stage::connecting: return host_phase::connecting;
    case stage::listening: return ota_downloading() ? host_phase::ota_downloading : host_phase::listening;
    case stage::failed:
    case stage::silent: break;
  }
  return host_phase::failed;
}

std::vector<phase_change> bring_up_host::take_events() { return std::exchange(events_, {}); }

std::string bring_up_host::within(milliseconds duration) {
  return "within " + std::to_string(duration.count() / 1000) + " s";
}

void bring_up_host::note_phase(milliseconds now) {
  const host_phase current = phase();
  if (current == reported_phase_) return;
  events_.push_back(phase_change{reported_phase_, current, now});
  reported_phase_ = current;
}

}  // namespace fleet
