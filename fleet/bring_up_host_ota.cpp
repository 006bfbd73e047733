// bring_up_host's OTAs (SPEC §5, note §3.11-3.14, sample 4.3): a module image downloaded, applied, and confirmed
// by "done" after the reboot; a host image read through the AT port in windows and its status reported.
#include <charconv>

#include "ads_client/base64.hpp"
#include "apca/backoff.hpp"
#include "fleet/ada_wire.hpp"
#include "fleet/bring_up_host.hpp"

namespace fleet {
namespace {

// `+ADA: "ota","err",9,...`: the module does not know the OTA id; asking again cannot help.
bool unknown_id(const std::string& error_line) {
  auto fields = ada_fields(error_line);
  return fields && fields->size() > 2 && (*fields)[1] == "err" && (*fields)[2] == "9";
}

}  // namespace

void bring_up_host::on_ota(const std::vector<std::string>& fields, std::string_view line, milliseconds now) {
  auto field = [&fields](std::size_t index) { return ada_field(fields, index); };
  const std::string_view what = field(1);
  if (what == "notify" && field(2) == "module" && fields.size() >= 4) {
    if (fields.size() == 4) return module_offered(fields[3], now);
    if (field(4) == "ready") return module_ready(fields[3], now);
    if (field(4) == "done") return module_done(fields[3]);
    return;
  }
  if (what == "notify" && field(2) == "host") return host_offered(fields, now);
  if ((what == "part" || what == "ok") && fields.size() >= 4) return host_bytes(fields, line, now);
  if (what == "dl" && field(2) == "host" && field(4) == "finish") return host_finished(fields[3]);
  if (what == "err") ota_error(line);
}

// The module gave an OTA up (a bad checksum or size, an image it could not fetch) and told the cloud.
void bring_up_host::ota_error(std::string_view line) {
  if (host_stage_ == host_stage::window_due || host_stage_ == host_stage::window_open) {
    return fail_host_ota(std::string(line), true);  // reported too, in case the module still takes it
  }
  if (module_stage_ == module_stage::offered || module_stage_ == module_stage::downloading) {
    fail_module_ota(std::string(line));
  }
}

void bring_up_host::ota_command_failed(bool module, const in_flight& command, std::string_view why, milliseconds now) {
  std::string reason = command.line + ": " + std::string(why);
  int& failures = module ? module_failures_ : host_failures_;
  if (++failures >= max_attempts || unknown_id(command.error_line)) {
    return module ? fail_module_ota(std::move(reason)) : fail_host_ota(std::move(reason), false);
  }
  ++counters_.retries;
  (module ? module_at_ : host_at_) = now + apca::doubling_backoff(first_retry, longest_retry, failures);
}

// ---- module images ----

void bring_up_host::module_offered(const std::string& id, milliseconds now) {
  if (!group_->module_ota || module_stage_ != module_stage::none) return;  // one module image at a time
  module_ota_ = ota_outcome{ota_state::in_progress, id, {}};
  module_stage_ = module_stage::offered;
  module_failures_ = 0;
  module_at_ = now;
}

void bring_up_host::module_ready(const std::string& id, milliseconds now) {
  if (!group_->module_ota) return;
  if (module_stage_ == module_stage::none) {
    module_ota_ = ota_outcome{ota_state::in_progress, id, {}};  // mcu_mode 0: the module downloaded unasked
  } else if (id != module_ota_.id ||
             (module_stage_ != module_stage::offered && module_stage_ != module_stage::downloading)) {
    return;
  }
  module_stage_ = module_stage::ready;
  module_failures_ = 0;
  module_at_ = now;
}

void bring_up_host::module_done(const std::string& id) {
  if (module_ota_.state != ota_state::in_progress || id != module_ota_.id) return;
  module_ota_.state = ota_state::succeeded;
  module_stage_ = module_stage::none;
  module_at_.reset();
}

void bring_up_host::module_command_done(const in_flight& command, bool ok, std::string_view why, milliseconds now) {
  if (command.kind == command_kind::module_download) {
    if (module_stage_ != module_stage::offered) return;  // "ready" or a failure came first
    if (!ok) return ota_command_failed(true, command, why, now);
    module_stage_ = module_stage::downloading;
    module_at_ = now + module_download_deadline;
    return;
  }
  if (module_stage_ != module_stage::ready) return;
  if (!ok) return fail_module_ota(command.line + ": " + std::string(why));  // not ready, or unknown: for good
  module_stage_ = module_stage::applying;
  module_at_ = now + answer_deadline;  // the reboot is due
}

void bring_up_host::fail_module_ota(std::string reason) {
  module_ota_.state = ota_state::failed;
  module_ota_.reason = std::move(reason);
  module_stage_ = module_stage::none;
  module_at_.reset();
}

// ---- host images ----

// `+ADA: "ota","notify","host","<id>",<size>,"<ver>"`.
void bring_up_host::host_offered(const std::vector<std::string>& fields, milliseconds now) {
  if (!group_->host_ota || host_stage_ != host_stage::none || fields.size() < 5) return;
  std::uint64_t size = 0;
  const std::string& text = fields[4];
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (error != std::errc{} || end != text.data() + text.size()) return;
  host_ota_ = ota_outcome{ota_state::in_progress, fields[3], {}};
  host_size_ = size;
  host_received_ = 0;
  host_status_ = 0;
  host_stage_ = host_stage::window_due;
  host_failures_ = 0;
  host_at_ = now;
}

// `+ADA: "ota","part"|"ok","<id>","<base64>"`: "ok" closes the window.
void bring_up_host::host_bytes(const std::vector<std::string>& fields, std::string_view line, milliseconds now) {
  if (host_stage_ != host_stage::window_open || fields[2] != host_ota_.id) return;
  const auto bytes = ads_client::base64_decode(fields[3]);
  if (!bytes) return fail_host_ota("not base64: " + std::string(line), true);
  host_received_ += bytes->size();
  if (host_received_ > host_size_) {
    return fail_host_ota(std::to_string(host_received_) + " bytes of a " + std::to_string(host_size_) + "-byte image",
                         true);
  }
  host_at_ = now + answer_deadline;
  if (fields[1] != "ok" || host_received_ == host_size_) return;  // the last window's "ok": "finish" follows
  host_stage_ = host_stage::window_due;
  host_failures_ = 0;
  host_at_ = now;
}

// `+ADA: "ota","dl","host","<id>","finish"`: every byte has been printed; the host reports what it got.
void bring_up_host::host_finished(const std::string& id) {
  if (host_stage_ != host_stage::window_open || id != host_ota_.id) return;
  if (host_received_ != host_size_) {
    return fail_host_ota("finish after " + std::to_string(host_received_) + " of " + std::to_string(host_size_) +
                             " bytes",
                         true);
  }
  host_stage_ = host_stage::status_due;
  host_status_ = 0;
  host_at_.reset();
}

void bring_up_host::host_command_done(const in_flight& command, bool ok, std::string_view why, milliseconds now) {
  if (command.kind == command_kind::host_download) {
    if (host_stage_ != host_stage::window_due) return;
    if (!ok) return ota_command_failed(false, command, why, now);
    host_stage_ = host_stage::window_open;
    host_at_ = now + answer_deadline;
    return;
  }
  if (host_stage_ != host_stage::status_due) return;
  host_stage_ = host_stage::none;
  if (host_ota_.state != ota_state::in_progress) return;  // a failure's report: best effort
  if (ok) {
    host_ota_.state = ota_state::succeeded;
  } else {
    fail_host_ota(command.line + ": " + std::string(why), false);
  }
}

// `report`: tell the module (and so the cloud) with a status of 1.
void bring_up_host::fail_host_ota(std::string reason, bool report) {
  host_ota_.state = ota_state::failed;
  host_ota_.reason = std::move(reason);
  host_stage_ = report ? host_stage::status_due : host_stage::none;
  host_status_ = 1;
  host_at_.reset();
}

// ---- the next OTA command, deadlines ----

bool bring_up_host::send_ota_command(milliseconds now) {
  const bool listening = stage_ == stage::listening;
  auto due = [now](const std::optional<milliseconds>& at) { return at && now >= *at; };
  if (module_stage_ == module_stage::offered && listening && due(module_at_)) {
    const std::uint32_t chunk = group_->module_ota->chunk;
    write(command_kind::module_download, ada_command({"ota", "dl", "module", module_ota_.id},
                                                     chunk ? "," + std::to_string(chunk) : std::string()),
          now);
    return true;
  }
  if (module_stage_ == module_stage::ready && due(module_at_)) {  // the apply needs no link
    write(command_kind::module_apply, ada_command({"ota", "apply", "module", module_ota_.id}), now);
    return true;
  }
  if (host_stage_ == host_stage::window_due && listening && due(host_at_)) {
    write(command_kind::host_download,
          ada_command({"ota", "dl", "host", host_ota_.id}, "," + std::to_string(group_->host_ota->window)), now);
    return true;
  }
  if (host_stage_ == host_stage::status_due && listening) {
    write(command_kind::host_status,
          ada_command({"ota", "status", "host", host_ota_.id}, "," + std::to_string(host_status_)), now);
    return true;
  }
  return false;
}

void bring_up_host::ota_deadlines(milliseconds now) {
  if (module_at_ && now >= *module_at_) {
    const std::string ready = R"(+ADA: "ota","notify","module",")" + module_ota_.id + "\",";
    switch (module_stage_) {
      case module_stage::downloading:
        fail_module_ota("no " + ready + "\"ready\" " + within(module_download_deadline));
        break;
      case module_stage::applying:
        fail_module_ota("no reboot " + within(answer_deadline) + " of the apply's OK");
        break;
      case module_stage::rebooted:
        fail_module_ota("no " + ready + "\"done\" " + within(answer_deadline) +
                        " of listening again after the reboot");
        break;
      case module_stage::none:
      case module_stage::offered:
      case module_stage::ready: break;  // a time to write a command, not a deadline
    }
  }
  if (host_stage_ == host_stage::window_open && host_at_ && now >= *host_at_) {
    fail_host_ota("no line of the window " + within(answer_deadline), true);
  }
}

void bring_up_host::ota_after_boot() {
  switch (module_stage_) {
    case module_stage::applying:
      module_stage_ = module_stage::rebooted;  // the reboot the apply asked for; "done" follows the bring-up
      module_at_.reset();
      break;
    case module_stage::offered:
    case module_stage::downloading:
    case module_stage::ready:
      // The module forgets a download in progress and tells the cloud it failed once it connects again.
      fail_module_ota("the module rebooted before the apply");
      break;
    case module_stage::none:
    case module_stage::rebooted: break;
  }
  if (host_ota_.state == ota_state::in_progress) fail_host_ota("the module rebooted during the host OTA", false);
  host_stage_ = host_stage::none;  // a failure not yet reported: the module reports it at its next connection
  host_at_.reset();
}

void bring_up_host::ota_after_link_up(milliseconds now) {
  // The waits run only while the link is up: a download resumes where it stopped when the link comes back.
  if (module_stage_ == module_stage::downloading) module_at_ = now + module_download_deadline;
  if (module_stage_ == module_stage::rebooted) module_at_ = now + answer_deadline;
  if (host_stage_ == host_stage::window_open) host_at_ = now + answer_deadline;
}

void bring_up_host::ota_after_link_down() {
  if (module_stage_ == module_stage::downloading || module_stage_ == module_stage::rebooted) module_at_.reset();
  if (host_stage_ == host_stage::window_open) host_at_.reset();
}

std::optional<milliseconds> bring_up_host::ota_wake() const {
  // A command due is a reason to wake only when the host could write it then (see send_ota_command).
  const bool idle = !in_flight_ && step_state_ == step_state::none;
  const bool listening = idle && stage_ == stage::listening;
  std::optional<milliseconds> wake;
  auto consider = [&wake](std::optional<milliseconds> at) {
    if (at && (!wake || *at < *wake)) wake = at;
  };
  switch (module_stage_) {
    case module_stage::offered:
      if (listening) consider(module_at_);
      break;
    case module_stage::ready:
      if (idle && (stage_ == stage::listening || stage_ == stage::connecting)) consider(module_at_);
      break;
    case module_stage::downloading:
    case module_stage::applying:
    case module_stage::rebooted: consider(module_at_); break;
    case module_stage::none: break;
  }
  if (host_stage_ == host_stage::window_open || (host_stage_ == host_stage::window_due && listening)) {
    consider(host_at_);
  }
  return wake;
}

// From the dl's OK to the apply's OK (the image is whole at "ready", and the apply follows at once), or while a host
// image is read.
bool bring_up_host::ota_downloading() const {
  return module_stage_ == module_stage::downloading || module_stage_ == module_stage::ready ||
         host_stage_ == host_stage::window_due || host_stage_ == host_stage::window_open;
}

}  // namespace fleet
