// OTA in the service (SPEC §4–§6), the in-process calls: image upload, jobs and the ota.json commands they queue.
#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

namespace {

bool printable_text(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char ch : text)
    if (ch < ' ' || ch > '~') return false;
  return true;
}

}  // namespace

api_result<image_record> service_core::add_image(std::string_view type, std::string_view model,
                                                 std::string_view version, std::string_view bytes, clock_time now) {
  if (type != "module" && type != "host") return http_error{400, "type must be module or host"};
  if (!valid_name(model, 64)) return http_error{400, "model: 1..64 of [A-Za-z0-9_.-]"};
  if (!printable_text(version, max_version_length)) return http_error{400, "version: 1..256 printable"};
  if (bytes.empty()) return http_error{400, "the image is empty"};
  image_record image{0, std::string(type), std::string(model), std::string(version),
                     static_cast<std::int64_t>(bytes.size()), ads_client::sha256_hex(bytes)};
  auto stored = state_->storage->ota().insert_image(std::move(image), bytes, iso8601(now));
  if (!stored) return http_error{500, "cannot store the image"};
  return std::move(*stored);
}

api_result<ota_job_record> service_core::create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                                        const std::vector<std::string>& dsns, clock_time now) {
  if (!state_->storage->ota().find_image(image_id)) return http_error{404, "unknown image"};
  std::vector<std::int64_t> keys;
  std::optional<std::string> model;
  if (!oem_model.empty()) {
    if (!dsns.empty()) return http_error{400, "give oem_model or dsns, not both"};
    model = std::string(oem_model);
    for (const auto& device : state_->storage->devices().list_devices())
      if (device.model == oem_model) keys.push_back(device.key);
  } else {
    if (dsns.empty()) return http_error{400, "oem_model or dsns is required"};
    for (const auto& dsn : dsns) {
      const auto device = state_->storage->devices().find_device_by_dsn(dsn);
      if (!device) return http_error{404, "unknown device " + dsn};
      keys.push_back(device->key);
    }
  }
  const auto job_id = state_->storage->ota().insert_ota_job(image_id, model, keys, iso8601(now));
  const auto job = job_id ? state_->storage->ota().find_ota_job(*job_id) : job_id.error();
  if (!job) return http_error{500, "cannot store the job"};
  return *job;
}

api_result<ota_job_record> service_core::start_ota_job(std::int64_t job_id, clock_time now) {
  const auto job = state_->storage->ota().find_ota_job(job_id);
  if (!job) return http_error{404, "unknown job"};
  if (job->status != ota_job_status::created) return http_error{409, "job already started"};
  const auto image = state_->storage->ota().find_image(job->image_id);
  if (!image) return http_error{404, "unknown image"};
  const std::string created_at = iso8601(now);
  for (const auto& target : state_->storage->ota().ota_targets(job_id)) {
    const auto device = state_->storage->devices().find_device(target.device_key);
    // A module already running the image's version cannot succeed (note §5.1.13).
    if (!device || (image->type == "module" && device->fw_version == image->version)) {
      state_->storage->ota().set_ota_target(job_id, target.device_key, ota_target_state::failed, std::nullopt);
      continue;
    }
    const std::string image_path =
        "/devices/" + std::to_string(device->key) + "/images/" + std::to_string(image->image_id);
    // ADA's client_ota_json_parse wants an absolute URL and a `source`: "local" is fetched from this service with
    // the device's auth; anything else first asks this service (with auth) where the image really is.
    const json data = ota_offer(*image, state_->endpoints.service_url + image_path +
                                            (state_->endpoints.remote_images ? "/location.json" : ".bin"),
                                state_->endpoints.remote_images ? "remote" : "local");
    const auto command = state_->storage->properties().queue_command(device->key, "PUT", "ota.json", data.dump(), created_at);
    if (!command) return http_error{500, "cannot queue the command"};
    state_->storage->ota().set_ota_target(job_id, device->key, ota_target_state::processing, *command);
    state_->woken.push_back(device->key);
  }
  state_->storage->ota().set_ota_job_status(job_id, ota_job_status::running);
  state_->storage->ota().complete_finished_jobs();
  return *state_->storage->ota().find_ota_job(job_id);
}

std::string image_token(const service_state& state, std::int64_t image_id) {
  return ads_client::sha256_hex("ads-sim image " + state.admin_token + " " + std::to_string(image_id)).substr(0, 32);
}

}  // namespace ads_sim
