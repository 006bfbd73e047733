#include "apca/ota_manager.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_client/url.hpp"
#include "apca/ada_text.hpp"
#include "common/hex.hpp"

namespace apca {

using nlohmann::json;

namespace {

// Fetches hold whole part lines, so only a window's last fetch can end in a short piece.
constexpr std::size_t fetch_bytes = ota_fetch_bytes - ota_fetch_bytes % ota_part_bytes;

// Fetches refused in a row while the link stays up (an error answer; an image host that fails TLS or is out of
// reach) before the OTA fails: a passing fault gets two more tries, a lasting one ends the job rather than hold it.
constexpr int max_refused_fetches = 3;

const std::string nv_mcu_mode = "ota/mcu_mode";
const std::string nv_module = "ota/module";        // the module image in progress: id, uri, version, state
const std::string nv_host = "ota/host";            // host images offered and not yet reported: [{id, uri}]

using ads_client::device_api::string_member;

// A text field of OTA state kept in NV; "" for anything else (NV written by another firmware, or damaged).
std::string stored_text(const json& object, std::string_view key) { return string_member(object, key).value_or(""); }

// ADA's client_ota_json_parse takes only absolute URLs: "http(s)://host/path". The path, or nullopt.
std::optional<std::string> absolute_url_path(const std::string& url) {
  auto parts = ads_client::parse_url(url);
  if (!parts || !parts->has_path) return std::nullopt;
  return std::move(parts->target);
}

// A location answer: {"ota":{"url":"https://...",...}} naming where the image really is (no Ayla auth there).
std::optional<std::string> located_url(const std::string& body) {
  const json answer = json::parse(body, nullptr, false);
  if (!answer.is_object() || !answer.contains("ota")) return std::nullopt;
  const auto url = string_member(answer["ota"], "url");
  if (!url || !url->starts_with("https://") || !absolute_url_path(*url)) return std::nullopt;
  return url;
}

std::string ota_urc(std::initializer_list<std::string> quoted, const std::string& tail = {}) {
  std::string line = "+ADA: ";
  bool first = true;
  for (const auto& word : quoted) {
    if (!first) line += ',';
    line += quote_at_string(word);
    first = false;
  }
  return line + tail;
}

}  // namespace

struct ota_manager::offer {
  std::string id;    // "idh7" / "idm7": what the host names in its commands
  bool module = false;
  std::string version;
  std::uint64_t size = 0;
  std::string url;   // the offered URL: the image itself ("local" source), or where to ask for it
  std::optional<image_location> location;  // where the bytes are fetched: at once for "local", else once asked
  bool locating = false;                   // a location request is out
  int refused_fetches = 0;                 // in a row, with the link up
  std::string sha256;
  std::string uri;   // where the command's result is PUT

  std::string type_word() const { return module ? "module" : "host_mcu"; }
};

struct ota_manager::host_download {
  offer image;
  std::uint64_t delivered = 0;   // bytes already printed to the host: the next window starts here
  std::uint64_t window_end = 0;  // > delivered while a window is open
  std::string fetched;           // the next bytes after `delivered`, fetched while the port writes the last ones
  bool fetching = false;

  std::uint64_t requested_end() const { return delivered + fetched.size(); }
};

struct ota_manager::module_download {
  enum class phase { offered, downloading, ready } state = phase::offered;
  offer image;
  std::uint64_t received = 0;
  bool fetching = false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest{EVP_MD_CTX_new(), EVP_MD_CTX_free};
};

ota_manager::ota_manager(urc_sink& urcs, ota_cloud& cloud, ota_effects effects, const config_store::nv_image& nv)
    : urcs_(urcs), cloud_(cloud), effects_(std::move(effects)) {
  load(nv);
}

void ota_manager::load(const config_store::nv_image& nv) {
  mcu_mode_ = nv.get(nv_mcu_mode) == "0" ? 0 : 1;
  hosts_.clear();
  pending_host_reports_.clear();
  module_.reset();
  host_output_busy_ = false;
  interrupted_module_.reset();
  if (auto stored = nv.get(nv_module)) {
    json state = json::parse(*stored, nullptr, false);
    if (state.is_object()) interrupted_module_ = state;
  }
  interrupted_hosts_ = json::array();
  if (auto stored = nv.get(nv_host)) {
    json pending = json::parse(*stored, nullptr, false);
    if (pending.is_array()) interrupted_hosts_ = pending;
  }
}

void ota_manager::power_cycle(const config_store::nv_image& nv) { load(nv); }

ota_manager::~ota_manager() = default;

// ---- offers from the cloud ----

void ota_manager::on_command(const ads_client::device_api::command& command) {
  if (command.resource != "ota.json") return;
  const json& ota = command.data.contains("ota") ? command.data["ota"] : command.data;
  offer image;
  image.uri = command.uri;
  const auto type = string_member(ota, "type");
  const auto version = string_member(ota, "ver");
  image.module = type == "module";
  image.id = std::string(image.module ? "idm" : "idh") + std::to_string(command.id);
  // The service delivers an offer again when the answer that carried it may have been lost with its connection
  // (PROTOCOL.md §2.4): one this module already holds is the same command, not a new one.
  if (holds_offer(image.id)) return;
  const auto url = string_member(ota, "url");
  const auto source = string_member(ota, "source");
  if ((!image.module && type != "host_mcu" && type != "host") || !version || !url || !absolute_url_path(*url) ||
      !source || source->empty() || !ota.contains("size") || !ota["size"].is_number_unsigned() ||
      !ota.contains("checksum") || !ota["checksum"].is_string()) {
    cloud_.report_command_result(command.uri, static_cast<int>(ota_status::bad_offer));
    cloud_.report_ota_failed(image.type_word(), static_cast<int>(ota_status::bad_offer));
    return;
  }
  image.version = *version;
  image.size = ota["size"].get<std::uint64_t>();
  image.url = *url;
  // ADA's source rule: "local" is fetched from the service itself; any other source is asked first (with auth)
  // where the image is, and fetched from there without Ayla auth.
  if (*source == "local") image.location = image_location{*absolute_url_path(image.url), true};
  image.sha256 = ota["checksum"].get<std::string>();
  if (image.module) {
    offer_module(std::move(image));
  } else {
    offer_host(std::move(image));
  }
}

bool ota_manager::holds_offer(const std::string& id) const {
  return (module_ && module_->image.id == id) || hosts_.count(id) != 0 || pending_host_reports_.count(id) != 0;
}

void ota_manager::offer_host(offer image) {
  const std::string id = image.id;
  const std::uint64_t size = image.size;
  const std::string version = image.version;
  pending_host_reports_[id] = image.uri;
  hosts_[id] = std::make_unique<host_download>(host_download{std::move(image), 0, 0, {}, false});
  // The host hears of the image only once the promise to report on it is durable: a power cut after the notify
  // still ends the cloud's job (failed, at the next boot), never leaves it running.
  store_host_reports([this, id, size, version](bool) {
    if (!hosts_.count(id)) return;  // rebooted meanwhile: the next boot reports it
    urcs_.urc(ota_urc({"ota", "notify", "host", id}, "," + std::to_string(size) + "," + quote_at_string(version)));
  });
}

void ota_manager::offer_module(offer image) {
  if (module_ && module_->state != module_download::phase::offered) {
    // One module image at a time: a newer offer while one downloads is refused, the cloud may retry.
    cloud_.report_command_result(image.uri, static_cast<int>(ota_status::download_failed));
    cloud_.report_ota_failed(image.type_word(), static_cast<int>(ota_status::download_failed));
    return;
  }
  module_ = std::make_unique<module_download>();
  module_->image = std::move(image);
  store_module_state("offered", {});
  if (mcu_mode_ == 0) {
    start_module_download();
  } else {
    urcs_.urc(ota_urc({"ota", "notify", "module", module_->image.id}));
  }
}

// ---- AT+ADA="ota",... ----

result<std::vector<std::string>> ota_manager::handle(const ota_request& request) {
  using op = ota_request::operation;
  const bool module = request.target == ota_request::image::module;
  switch (request.op) {
    case op::mcu_mode: return mcu_mode(request);
    case op::download: return module ? module_download_start(request) : host_download_window(request);
    case op::apply: return module_apply(request);
    case op::status: return host_status(request);
  }
  return ada_error{ada_code::unknown, "ota command"};
}

result<std::vector<std::string>> ota_manager::mcu_mode(const ota_request& request) {
  if (!request.number) {
    return std::vector<std::string>{
        ota_urc({"ota", "mcu_mode", "module", request.id}, "," + std::to_string(mcu_mode_))};
  }
  mcu_mode_ = static_cast<int>(*request.number);
  effects_.store({{nv_mcu_mode, std::to_string(mcu_mode_)}}, [](bool) {});
  return std::vector<std::string>{};
}

result<std::vector<std::string>> ota_manager::host_download_window(const ota_request& request) {
  auto found = hosts_.find(request.id);
  if (found == hosts_.end()) return ada_error{ada_code::cmd_id, "unknown ota id"};
  host_download& download = *found->second;
  if (download.window_end > download.delivered) return ada_error{ada_code::busy, "download in progress"};
  if (download.delivered >= download.image.size) return ada_error{ada_code::err, "image already downloaded"};
  if (!cloud_.online()) return ada_error{ada_code::err, "connection down"};
  const std::uint64_t rest = download.image.size - download.delivered;
  const std::uint64_t window = request.number ? std::min<std::uint64_t>(*request.number, rest) : rest;
  download.window_end = download.delivered + window;
  pump_host();
  return std::vector<std::string>{};
}

result<std::vector<std::string>> ota_manager::host_status(const ota_request& request) {
  if (request.target != ota_request::image::host) return ada_error{ada_code::usage, "status is for host images"};
  auto pending = pending_host_reports_.find(request.id);
  if (pending == pending_host_reports_.end()) return ada_error{ada_code::cmd_id, "unknown ota id"};
  const int status = static_cast<int>(request.number.value_or(0));
  cloud_.report_command_result(pending->second, status);
  if (status != 0) cloud_.report_ota_failed("host_mcu", status);
  pending_host_reports_.erase(pending);
  hosts_.erase(request.id);
  store_host_reports();
  return std::vector<std::string>{};
}

result<std::vector<std::string>> ota_manager::module_download_start(const ota_request& request) {
  if (!module_ || module_->image.id != request.id) return ada_error{ada_code::cmd_id, "unknown ota id"};
  if (module_->state != module_download::phase::offered) return ada_error{ada_code::busy, "download in progress"};
  if (!cloud_.online()) return ada_error{ada_code::err, "connection down"};
  start_module_download();
  return std::vector<std::string>{};
}

result<std::vector<std::string>> ota_manager::module_apply(const ota_request& request) {
  if (request.target != ota_request::image::module) return ada_error{ada_code::usage, "apply is for module images"};
  if (!module_ || module_->image.id != request.id) return ada_error{ada_code::cmd_id, "unknown ota id"};
  if (module_->state != module_download::phase::ready) return ada_error{ada_code::err, "image not ready"};
  // One atomic NV save switches the firmware and marks the image applied: a kill before it keeps the old
  // firmware, a kill after it boots the new one; either way the next connection reports the outcome.
  const offer image = module_->image;
  json state = {{"id", image.id}, {"uri", image.uri}, {"version", image.version}, {"state", "applied"}};
  effects_.store({{"fw/version", image.version}, {nv_module, state.dump()}}, [this](bool ok) {
    if (ok) effects_.reboot();
  });
  module_.reset();
  return std::vector<std::string>{};
}

// ---- host image windows ----

// ADA's url_fetched step: for a non-local source the offered URL answers (with Ayla auth) where the image is.
bool ota_manager::located(offer& image, std::function<offer*()> find, std::function<void()> resume,
                          std::function<void(const ada_error&)> failed) {
  if (image.location) return true;
  if (image.locating) return false;
  image.locating = true;
  cloud_.fetch_location(*absolute_url_path(image.url), [find, resume, failed](fetch_result body) {
    offer* asked = find();
    if (!asked) return;  // gone meanwhile (failed, rebooted)
    asked->locating = false;
    if (!body) {
      if (body.error().lost_link()) return;  // on_online() asks again
      return ++asked->refused_fetches < max_refused_fetches ? resume() : failed(body.error().why);
    }
    asked->refused_fetches = 0;
    auto url = located_url(body.value());
    if (!url) return failed(ada_error{ada_code::err, "image location"});
    asked->location = image_location{std::move(*url), false};
    resume();
  });
  return false;
}

void ota_manager::fail_host(const std::string& id, ota_status status, const ada_error& why) {
  auto found = hosts_.find(id);
  if (found == hosts_.end()) return;
  const std::string uri = found->second->image.uri;
  hosts_.erase(found);
  pending_host_reports_.erase(id);
  store_host_reports();
  urcs_.urc(ota_error_line(why));
  cloud_.report_command_result(uri, static_cast<int>(status));
  cloud_.report_ota_failed("host_mcu", static_cast<int>(status));
}

// One range is fetched while the port writes the one before it: the download keeps the port busy without
// ever queueing more than one range of lines ahead of what the host has read.
void ota_manager::pump_host() {
  for (auto& [id, download] : hosts_) {
    if (download->window_end <= download->delivered) continue;
    auto find = [this, id = id]() -> offer* {
      auto found = hosts_.find(id);
      return found == hosts_.end() ? nullptr : &found->second->image;
    };
    auto failed = [this, id = id](const ada_error& why) { fail_host(id, ota_status::download_failed, why); };
    if (!located(download->image, find, [this] { pump_host(); }, failed)) return;
    if (!host_output_busy_ && !download->fetched.empty()) print_host_bytes(id, *download);
    if (!download->fetching && download->fetched.empty() && download->requested_end() < download->window_end) {
      const std::uint64_t offset = download->requested_end();
      const std::uint64_t length = std::min<std::uint64_t>(download->window_end - offset, fetch_bytes);
      download->fetching = true;
      cloud_.fetch_range(*download->image.location, offset, length,
                         [this, id = id, length](fetch_result bytes) { on_host_bytes(id, length, bytes); });
    }
    return;  // one window at a time
  }
}

void ota_manager::on_host_bytes(const std::string& id, std::uint64_t asked, const fetch_result& bytes) {
  auto found = hosts_.find(id);
  if (found == hosts_.end()) return;
  host_download& download = *found->second;
  download.fetching = false;
  if (!bytes) {
    if (bytes.error().lost_link()) return;  // on_online() fetches again from `delivered`
    if (++download.image.refused_fetches >= max_refused_fetches) {
      return fail_host(id, ota_status::download_failed, bytes.error().why);
    }
    return pump_host();
  }
  download.image.refused_fetches = 0;
  if (bytes.value().size() != asked) {
    download.window_end = download.delivered;
    download.fetched.clear();
    urcs_.urc(ota_error_line(ada_error{ada_code::err, "image shorter than announced"}));
    return;
  }
  download.fetched = bytes.value();
  pump_host();
}

void ota_manager::print_host_bytes(const std::string& id, host_download& download) {
  const std::string data = std::move(download.fetched);
  download.fetched.clear();
  std::size_t at = 0;
  while (at < data.size()) {
    const std::size_t piece = std::min(ota_part_bytes, data.size() - at);
    const bool closes_window = download.delivered + at + piece == download.window_end;
    urcs_.urc(ota_urc({"ota", closes_window ? "ok" : "part", id, ads_client::base64_encode(data.substr(at, piece))}));
    at += piece;
  }
  download.delivered += data.size();
  if (download.delivered == download.image.size) urcs_.urc(ota_urc({"ota", "dl", "host", id, "finish"}));
  host_output_busy_ = true;
}

void ota_manager::on_host_output_drained() {
  host_output_busy_ = false;
  pump_host();
}

// ---- module images ----

void ota_manager::start_module_download() {
  module_->state = module_download::phase::downloading;
  EVP_DigestInit_ex(module_->digest.get(), EVP_sha256(), nullptr);
  module_->received = 0;
  store_module_state("downloading", {});
  pump_module();
}

void ota_manager::pump_module() {
  if (!module_ || module_->state != module_download::phase::downloading || module_->fetching) return;
  if (!cloud_.online()) return;  // on_online() resumes from `received`
  const std::uint64_t length = std::min<std::uint64_t>(module_->image.size - module_->received, fetch_bytes);
  if (length == 0) return module_verify();
  auto find = [this]() -> offer* { return module_ ? &module_->image : nullptr; };
  auto failed = [this](const ada_error& why) { fail_module(ota_status::download_failed, why); };
  if (!located(module_->image, find, [this] { pump_module(); }, failed)) return;
  module_->fetching = true;
  cloud_.fetch_range(*module_->image.location, module_->received, length,
                     [this, length](fetch_result bytes) { on_module_bytes(length, bytes); });
}

void ota_manager::on_module_bytes(std::uint64_t asked, const fetch_result& bytes) {
  if (!module_) return;
  module_->fetching = false;
  if (!bytes) {
    if (bytes.error().lost_link()) return;  // resumed on reconnect
    if (++module_->image.refused_fetches >= max_refused_fetches) {
      return fail_module(ota_status::download_failed, bytes.error().why);
    }
    return pump_module();
  }
  module_->image.refused_fetches = 0;
  const std::string& data = bytes.value();
  EVP_DigestUpdate(module_->digest.get(), data.data(), data.size());
  module_->received += data.size();
  if (data.size() != asked) {
    return fail_module(ota_status::size_mismatch, ada_error{ada_code::invalid, "image size"});
  }
  pump_module();
}

void ota_manager::module_verify() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(module_->digest.get(), digest, &length);
  const std::string computed = common::to_hex(digest, length);
  std::string expected = module_->image.sha256;
  std::transform(expected.begin(), expected.end(), expected.begin(), ::tolower);
  if (computed != expected) {
    return fail_module(ota_status::checksum_mismatch, ada_error{ada_code::invalid, "image checksum"});
  }
  module_->state = module_download::phase::ready;
  const std::string id = module_->image.id;
  const std::string uri = module_->image.uri;
  // As ADA does (client_recv_ota_get, then client_put_cmd_sts): the command's result goes to the cloud when the
  // download is complete, before the apply; NV says "ready" first, so a reboot from here on never reports the
  // download again. Whether the new firmware then runs is told by its version, or by ota_failed.json.
  store_module_state("ready", [this, id, uri](bool) {
    cloud_.report_command_result(uri, static_cast<int>(ota_status::ok));
    urcs_.urc(ota_urc({"ota", "notify", "module", id, "ready"}));
  });
}

void ota_manager::fail_module(ota_status status, const ada_error& why) {
  const offer image = module_->image;
  module_.reset();
  urcs_.urc(ota_error_line(why));
  cloud_.report_command_result(image.uri, static_cast<int>(status));
  cloud_.report_ota_failed(image.type_word(), static_cast<int>(status));
  effects_.store({{nv_module, ""}}, [](bool) {});
}

// ---- after a (re)connection ----

void ota_manager::on_online() {
  // A module image downloaded before the reboot (its result already went to the cloud): say "done" if its firmware
  // runs now, else tell the cloud it failed. One cut before the download ended still owes the command's result.
  if (interrupted_module_) {
    const json state = *interrupted_module_;
    interrupted_module_.reset();
    const std::string uri = stored_text(state, "uri");
    const std::string stage = stored_text(state, "state");
    const bool result_sent = stage == "ready" || stage == "applied";
    if (stage == "applied" && effects_.firmware_version() == stored_text(state, "version")) {
      urcs_.urc(ota_urc({"ota", "notify", "module", stored_text(state, "id"), "done"}));
    } else {
      if (!result_sent) cloud_.report_command_result(uri, static_cast<int>(ota_status::download_failed));
      cloud_.report_ota_failed("module", static_cast<int>(ota_status::download_failed));
    }
    effects_.store({{nv_module, ""}}, [](bool) {});
  }
  if (!interrupted_hosts_.empty()) {
    for (const json& pending : interrupted_hosts_) {
      cloud_.report_command_result(stored_text(pending, "uri"),
                                   static_cast<int>(ota_status::download_failed));
      cloud_.report_ota_failed("host_mcu", static_cast<int>(ota_status::download_failed));
    }
    interrupted_hosts_ = json::array();
    store_host_reports();
  }
  pump_module();
  pump_host();
}

// ---- NV ----

void ota_manager::store_module_state(const std::string& state, std::function<void(bool)> then) {
  json stored = {{"id", module_->image.id}, {"uri", module_->image.uri}, {"version", module_->image.version},
                 {"state", state}};
  effects_.store({{nv_module, stored.dump()}}, then ? std::move(then) : [](bool) {});
}

void ota_manager::store_host_reports(std::function<void(bool)> then) {
  json pending = json::array();
  for (const auto& [id, uri] : pending_host_reports_) pending.push_back({{"id", id}, {"uri", uri}});
  effects_.store({{nv_host, pending.empty() ? std::string() : pending.dump()}},
                 then ? std::move(then) : [](bool) {});
}

std::string ota_manager::ota_error_line(const ada_error& error) { return ada_error_line("ota", error); }

}  // namespace apca
