#pragma once
// ota_manager: host and module firmware updates through the AT port (SPEC §5, note §3.11–3.14), sans-I/O.
// An OTA command from the cloud becomes a `notify` URC; the host pulls a host image window by window as base64
// `part` lines, or lets the module download, verify (size, SHA-256), `apply` and reboot into a module image:
// the command's result goes to the cloud when the download completes (as ADA's), the host hears "done" after
// the reboot, and a new firmware that does not come up is reported as ota_failed. Progress that must survive a
// reboot or a kill (the module image's state and the firmware version) is kept in NV and switched in single
// atomic saves.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ads_client/device_protocol.hpp"
#include "apca/fetch_result.hpp"
#include "apca/host_requests.hpp"
#include "apca/ports.hpp"
#include "apca/result.hpp"
#include "config_store/nv_image.hpp"

namespace apca {

// Raw image bytes carried by one `+ADA: "ota","part",...` line (64 base64 characters). A window's last
// 1..48 bytes travel in its closing `"ota","ok"` line.
inline constexpr std::size_t ota_part_bytes = 48;
// Largest Range fetched at once; a window is fetched in pieces of at most this size.
inline constexpr std::size_t ota_fetch_bytes = 16 * 1024;

// OTA result codes reported to the cloud (command status and ota_failed.json).
enum class ota_status : int { ok = 0, download_failed = 1, size_mismatch = 2, checksum_mismatch = 3, bad_offer = 4 };

// Where an image's bytes are fetched (ADA client_ota_server): a path on the device service, with the device's
// Ayla auth (`source` "local"), or an absolute https URL on any host, without it (the URL a non-local source's
// location answer named, e.g. a signed S3 URL).
struct image_location {
  std::string target;       // "/devices/12/images/3.bin", or "https://images.example:8444/images/3/<token>.bin"
  bool on_service = true;   // false: `target` is an absolute URL on another host
};

// What the OTA logic needs from the cloud connection (implemented over cloud_session).
class ota_cloud {
 public:
  virtual ~ota_cloud() = default;
  virtual bool online() const = 0;
  // GET `where` with Range bytes=offset..offset+length-1: the bytes, the link lost, or the image refused.
  virtual void fetch_range(const image_location& where, std::uint64_t offset, std::uint64_t length,
                           fetch_done done) = 0;
  // GET `path` on the device service with Ayla auth: the body of a 200 (a non-local image's location), or an error.
  virtual void fetch_location(const std::string& path, fetch_done done) = 0;
  virtual void report_command_result(const std::string& uri, int status) = 0;
  virtual void report_ota_failed(const std::string& type, int status) = 0;
};

// Persisting and rebooting, provided by the service (NV) and the module (power).
struct ota_effects {
  std::function<void(std::map<std::string, std::string> values, std::function<void(bool ok)> done)> store;
  std::function<void()> reboot;
  std::function<std::string()> firmware_version;
};

class ota_manager {
 public:
  ota_manager(urc_sink& urcs, ota_cloud& cloud, ota_effects effects, const config_store::nv_image& nv);
  ~ota_manager();

  // An `ota.json` command arrived from the cloud.
  void on_command(const ads_client::device_api::command& command);
  // The connection came up: report what a reboot interrupted, say "done" for a module image now running, and
  // resume downloads cut by a connection loss.
  void on_online();
  // The host's port has written everything queued: more `part` lines may be produced.
  void on_host_output_drained();
  bool awaits_host_output_drained() const { return host_output_busy_; }
  // The module rebooted: downloads in memory are gone; what NV says is reported on the next connection.
  void power_cycle(const config_store::nv_image& nv);

  // AT+ADA="ota",... — `lines` are information lines printed before OK (the mcu_mode query).
  result<std::vector<std::string>> handle(const ota_request& request);

 private:
  struct offer;
  struct host_download;
  struct module_download;

  void load(const config_store::nv_image& nv);
  bool holds_offer(const std::string& id) const;
  void offer_host(offer image);
  void offer_module(offer image);
  result<std::vector<std::string>> host_download_window(const ota_request& request);
  result<std::vector<std::string>> host_status(const ota_request& request);
  result<std::vector<std::string>> module_download_start(const ota_request& request);
  result<std::vector<std::string>> module_apply(const ota_request& request);
  result<std::vector<std::string>> mcu_mode(const ota_request& request);

  // True when `image`'s bytes can be fetched; else asks the service where they are (once at a time) and calls
  // `resume` when it knows (or to ask again after a refusal), or `failed` when the answer names no usable URL or
  // the service refused max_refused_fetches times in a row.
  bool located(offer& image, std::function<offer*()> find, std::function<void()> resume,
               std::function<void(const ada_error&)> failed);
  void fail_host(const std::string& id, ota_status status, const ada_error& why);
  void pump_host();
  void on_host_bytes(const std::string& id, std::uint64_t asked, const fetch_result& bytes);
  void print_host_bytes(const std::string& id, host_download& download);
  void start_module_download();
  void pump_module();
  void on_module_bytes(std::uint64_t asked, const fetch_result& bytes);
  void module_verify();
  void fail_module(ota_status status, const ada_error& why);
  void store_module_state(const std::string& state, std::function<void(bool)> then);
  void store_host_reports(std::function<void(bool)> then = {});
  static std::string ota_error_line(const ada_error& error);

  urc_sink& urcs_;
  ota_cloud& cloud_;
  ota_effects effects_;
  int mcu_mode_ = 1;
  std::map<std::string, std::unique_ptr<host_download>> hosts_;  // by OTA id
  std::map<std::string, std::string> pending_host_reports_;      // OTA id -> command uri, until the host's status
  std::unique_ptr<module_download> module_;
  std::optional<nlohmann::json> interrupted_module_;  // NV state found at boot, reported on the next connection
  nlohmann::json interrupted_hosts_ = nlohmann::json::array();
  bool host_output_busy_ = false;  // part lines queued and not yet written: wait for on_host_output_drained
};

}  // namespace apca
