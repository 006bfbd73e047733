// OTA in the service (SPEC §4–§6): image upload, jobs, the ota.json commands they queue, ranged image downloads
// and the devices' results.
#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

namespace {

json image_json(const image_record& image) {
  return json{{"image_id", image.image_id}, {"type", image.type},     {"model", image.model},
              {"version", image.version},   {"size", image.size},     {"sha256", image.sha256}};
}

json job_json(const ota_job_record& job) {
  return json{{"job_id", job.job_id},
              {"image_id", job.image_id},
              {"oem_model", job.oem_model ? json(*job.oem_model) : json(nullptr)},
              {"status", to_text(job.status)},
              {"total", job.total},
              {"processing", job.processing},
              {"succeeded", job.succeeded},
              {"failed", job.failed}};
}

json ota_offer(const image_record& image, const std::string& url, std::string_view source) {
  return json{{"ota",
               {{"url", url},
                {"ver", image.version},
                {"size", image.size},
                {"type", image.type == "module" ? "module" : "host_mcu"},
                {"checksum", image.sha256},
                {"source", source}}}};
}

bool printable_text(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char ch : text)
    if (ch < ' ' || ch > '~') return false;
  return true;
}

// "bytes=<first>-[<last>]" within an image of `size` bytes → [first, last]; nullopt when unsatisfiable.
std::optional<std::pair<std::int64_t, std::int64_t>> parse_range(std::string_view header, std::int64_t size) {
  constexpr std::string_view unit = "bytes=";
  if (header.substr(0, unit.size()) != unit) return std::nullopt;
  header.remove_prefix(unit.size());
  const auto dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_int(header.substr(0, dash));
  const std::string_view last_text = header.substr(dash + 1);
  const auto last = last_text.empty() ? std::optional<std::int64_t>(size - 1) : parse_int(last_text);
  if (!first || !last || *first < 0 || *first > *last || *first >= size) return std::nullopt;
  return std::pair{*first, std::min(*last, size - 1)};
}

}  // namespace

api_result<image_record> service_core::add_image(std::string_view type, std::string_view model,
                                                 std::string_view version, std::string_view bytes, clock_time now) {
  using result = api_result<image_record>;
  if (type != "module" && type != "host") return result::failure(400, "type must be module or host");
  if (!valid_name(model, 64)) return result::failure(400, "model: 1..64 of [A-Za-z0-9_.-]");
  if (!printable_text(version, max_version_length)) return result::failure(400, "version: 1..256 printable");
  if (bytes.empty()) return result::failure(400, "the image is empty");
  image_record image{0, std::string(type), std::string(model), std::string(version),
                     static_cast<std::int64_t>(bytes.size()), ads_client::sha256_hex(bytes)};
  auto stored = store_->ota().insert_image(std::move(image), bytes, iso8601(now));
  if (!stored) return result::failure(500, "cannot store the image");
  return result::success(std::move(*stored));
}

api_result<ota_job_record> service_core::create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                                        const std::vector<std::string>& dsns, clock_time now) {
  using result = api_result<ota_job_record>;
  if (!store_->ota().find_image(image_id)) return result::failure(404, "unknown image");
  std::vector<std::int64_t> keys;
  std::optional<std::string> model;
  if (!oem_model.empty()) {
    if (!dsns.empty()) return result::failure(400, "give oem_model or dsns, not both");
    model = std::string(oem_model);
    for (const auto& device : store_->devices().list_devices())
      if (device.model == oem_model) keys.push_back(device.key);
  } else {
    if (dsns.empty()) return result::failure(400, "oem_model or dsns is required");
    for (const auto& dsn : dsns) {
      const auto device = store_->devices().find_device_by_dsn(dsn);
      if (!device) return result::failure(404, "unknown device " + dsn);
      keys.push_back(device->key);
    }
  }
  const auto job_id = store_->ota().insert_ota_job(image_id, model, keys, iso8601(now));
  const auto job = job_id ? store_->ota().find_ota_job(*job_id) : job_id.error();
  if (!job) return result::failure(500, "cannot store the job");
  return result::success(*job);
}

api_result<ota_job_record> service_core::start_ota_job(std::int64_t job_id, clock_time now) {
  using result = api_result<ota_job_record>;
  const auto job = store_->ota().find_ota_job(job_id);
  if (!job) return result::failure(404, "unknown job");
  if (job->status != ota_job_status::created) return result::failure(409, "job already started");
  const auto image = store_->ota().find_image(job->image_id);
  if (!image) return result::failure(404, "unknown image");
  const std::string created_at = iso8601(now);
  for (const auto& target : store_->ota().ota_targets(job_id)) {
    const auto device = store_->devices().find_device(target.device_key);
    // A module already running the image's version cannot succeed (note §5.1.13).
    if (!device || (image->type == "module" && device->fw_version == image->version)) {
      store_->ota().set_ota_target(job_id, target.device_key, ota_target_state::failed, std::nullopt);
      continue;
    }
    const std::string image_path =
        "/devices/" + std::to_string(device->key) + "/images/" + std::to_string(image->image_id);
    // ADA's client_ota_json_parse wants an absolute URL and a `source`: "local" is fetched from this service with
    // the device's auth; anything else first asks this service (with auth) where the image really is.
    const json data = ota_offer(*image, endpoints_.service_url + image_path +
                                            (endpoints_.remote_images ? "/location.json" : ".bin"),
                                endpoints_.remote_images ? "remote" : "local");
    const auto command = store_->properties().queue_command(device->key, "PUT", "ota.json", data.dump(), created_at);
    if (!command) return result::failure(500, "cannot queue the command");
    store_->ota().set_ota_target(job_id, device->key, ota_target_state::processing, *command);
    woken_.push_back(device->key);
  }
  store_->ota().set_ota_job_status(job_id, ota_job_status::running);
  store_->ota().complete_finished_jobs();
  return result::success(*store_->ota().find_ota_job(job_id));
}

std::string service_core::image_token(std::int64_t image_id) const {
  // Unguessable without the admin token, stable across restarts: the image host's stand-in for a signed S3 URL.
  return ads_client::sha256_hex("ads-sim image " + admin_token_ + " " + std::to_string(image_id)).substr(0, 32);
}

outcome service_core::get_ota_location(call& c) {
  const auto id = parse_int(c.params.at(1));
  const auto image = id ? store_->ota().find_image(*id) : store_error::not_found;
  if (!image) return error_response(404, "unknown image");
  const std::string url =
      endpoints_.image_url + "/images/" + std::to_string(image->image_id) + "/" + image_token(image->image_id) + ".bin";
  return json_response(200, ota_offer(*image, url, "remote"));
}

outcome service_core::get_hosted_image(call& c) {
  const auto id = parse_int(c.params.at(0));
  if (!id || c.params.at(1).size() != 32 || !same_secret(c.params.at(1), image_token(*id)))
    return error_response(404, "unknown image");
  return serve_image(c, *id);
}

outcome service_core::get_image(call& c) {
  const auto id = parse_int(c.params.at(1));
  if (!id) return error_response(404, "unknown image");
  return serve_image(c, *id);
}

outcome service_core::serve_image(call& c, std::int64_t image_id) {
  const auto image = store_->ota().find_image(image_id);
  if (!image) return error_response(404, "unknown image");
  std::int64_t first = 0;
  std::int64_t last = image->size - 1;
  const auto range_header = c.request.header("Range");
  if (range_header) {
    const auto range = parse_range(*range_header, image->size);
    if (!range) {
      auto refused = error_response(416, "range not satisfiable");
      refused.set_header("Content-Range", "bytes */" + std::to_string(image->size));
      return refused;
    }
    std::tie(first, last) = *range;
  }
  if (auto fault = image_fault(image->image_id, first, last)) return std::move(*fault);
  auto bytes = store_->ota().read_image(image->image_id, first, last - first + 1);
  if (!bytes) return error_response(500, "cannot read the image");
  corrupt_in_place(image->image_id, first, image->size, *bytes);
  http_response response;
  response.status = range_header ? 206 : 200;
  response.body = std::move(*bytes);
  response.set_header("Content-Type", "application/octet-stream");
  if (range_header)
    response.set_header("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                                             std::to_string(image->size));
  return response;
}

outcome service_core::put_ota_failed(call& c) {
  const auto status = c.body.find("ota-status");
  if (status == c.body.end() || !status->is_object()) return error_response(400, "body needs an \"ota-status\" object");
  const auto* type = string_field(*status, "type");
  const auto code = status->find("status");
  if (!type || (*type != "module" && *type != "host_mcu") || code == status->end() || !code->is_number_integer())
    return error_response(400, "ota-status needs status (integer) and type (module or host_mcu)");
  store_->ota().fail_ota_targets(c.device->key, *type == "module" ? "module" : "host");
  return empty_response(204);
}

outcome service_core::admin_post_image(call& c) {
  const auto* type = string_field(c.body, "type");
  const auto* model = string_field(c.body, "model");
  const auto* version = string_field(c.body, "version");
  const auto* data = string_field(c.body, "data_base64");
  if (!type || !model || !version || !data) return error_response(400, "type, model, version, data_base64 required");
  const auto bytes = ads_client::base64_decode(*data);
  if (!bytes) return error_response(400, "data_base64 is not base64");
  const auto added = add_image(*type, *model, *version, *bytes, c.now);
  if (!added) return failure_response(added);
  return json_response(201, json{{"image_id", added->image_id}, {"size", added->size}, {"sha256", added->sha256}});
}

outcome service_core::admin_list_images(call&) {
  json images = json::array();
  for (const auto& image : store_->ota().list_images()) images.push_back(image_json(image));
  return json_response(200, json{{"images", images}});
}

outcome service_core::admin_post_ota_job(call& c) {
  const auto image_id = c.body.find("image_id");
  if (image_id == c.body.end() || !image_id->is_number_integer()) return error_response(400, "image_id is required");
  std::string oem_model;
  if (c.body.contains("oem_model")) {
    const auto* given = string_field(c.body, "oem_model");
    if (!given || given->empty()) return error_response(400, "oem_model must be a non-empty string");
    oem_model = *given;
  }
  std::vector<std::string> dsns;
  if (c.body.contains("dsns")) {
    const json& list = c.body["dsns"];
    if (!list.is_array() || list.empty()) return error_response(400, "dsns must be a non-empty array of strings");
    for (const auto& dsn : list) {
      if (!dsn.is_string()) return error_response(400, "dsns must be a non-empty array of strings");
      dsns.push_back(dsn.get<std::string>());
    }
  }
  const auto job = create_ota_job(image_id->get<std::int64_t>(), oem_model, dsns, c.now);
  if (!job) return failure_response(job);
  return json_response(201, job_json(*job));
}

outcome service_core::admin_list_ota_jobs(call&) {
  json jobs = json::array();
  for (const auto& job : store_->ota().list_ota_jobs()) jobs.push_back(job_json(job));
  return json_response(200, json{{"ota_jobs", jobs}});
}

outcome service_core::admin_get_ota_job(call& c) {
  const auto id = parse_int(c.params.at(0));
  const auto job = id ? store_->ota().find_ota_job(*id) : store_error::not_found;
  if (!job) return error_response(404, "unknown job");
  return json_response(200, job_json(*job));
}

outcome service_core::admin_start_ota_job(call& c) {
  const auto id = parse_int(c.params.at(0));
  if (!id) return error_response(404, "unknown job");
  const auto started = start_ota_job(*id, c.now);
  if (!started) return failure_response(started);
  return json_response(200, job_json(*started));
}

}  // namespace ads_sim
