// Images and OTA jobs in the console (note §5.1.3, §5.1.11–5.1.14): the module maker uploads module images, an OEM
// its host images; an OEM makes jobs over its own devices of one model and watches them run.
#include <algorithm>
#include <set>

#include "ads_client/base64.hpp"
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim::console {

using nlohmann::json;

namespace {

constexpr std::size_t max_description = 256;
// A job's device list is read a page at a time (a job may target 10,000 devices): by default this many,
// at most max_job_page, and no page beyond max_job_page_number (far past any job's last).
constexpr std::int64_t default_job_page = 100;
constexpr std::int64_t max_job_page = 500;
constexpr std::int64_t max_job_page_number = 1000000;

// Images the caller may see and use: every module image, and the host images of the caller's OEM.
struct visible_image {
  image_record image;
  image_meta meta;
};

std::vector<visible_image> visible_images(request_context& c) {
  std::map<std::int64_t, image_meta> metas;
  for (auto& meta : c.storage().ota().list_image_meta()) metas[meta.image_id] = std::move(meta);
  std::vector<visible_image> out;
  for (auto& image : c.storage().ota().list_images()) {
    const auto meta = metas.find(image.image_id);
    image_meta known = meta == metas.end() ? image_meta{image.image_id, "", "", "", ""} : meta->second;
    const bool visible = image.type == "module" || (c.account().role == account_role::oem && !known.oem_id.empty() &&
                                                    known.oem_id == c.account().oem_id);
    if (visible) out.push_back({std::move(image), std::move(known)});
  }
  return out;
}

std::optional<visible_image> find_visible_image(request_context& c, std::int64_t image_id) {
  for (auto& candidate : visible_images(c))
    if (candidate.image.image_id == image_id) return std::move(candidate);
  return std::nullopt;
}

// The caller's devices of `oem_model`: the targets a job for that model gets.
std::vector<device_record> devices_of_model(request_context& c, std::string_view oem_model) {
  return c.core.devices_of(c.account().oem_id, oem_model);
}

struct job_request {
  visible_image image;
  std::vector<device_record> devices;
};

common::result<job_request, http_error> read_job_request(request_context& c) {
  const auto image_id = integer_field(c.body, "image_id");
  if (!image_id) return http_error{400, "choose an image"};
  auto image = find_visible_image(c, *image_id);
  if (!image) return http_error{404, "unknown image"};
  const std::string model = text_or_empty(c.body, "oem_model");
  if (!detail::valid_name(model, 64)) return http_error{400, "oem_model: 1..64 of [A-Za-z0-9_.-]"};
  return job_request{std::move(*image), devices_of_model(c, model)};
}

// The job as the OTA list shows it (note §5.1.12).
json job_json(request_context& c, const job_meta& meta) {
  const auto job = c.storage().ota().find_ota_job(meta.job_id);
  if (!job) return nullptr;
  const auto image = c.storage().ota().find_image(job->image_id);
  if (!image) return nullptr;
  return json{{"job_id", job->job_id},
              {"status", to_text(job->status)},
              {"oem_model", meta.oem_model},
              {"description", meta.description},
              {"image_type", image->type},
              {"module_model", image->model},
              {"module_version", image->version},
              {"total", job->total},
              {"processing", job->processing},
              {"succeeded", job->succeeded},
              {"failed", job->failed},
              {"started_at", meta.started_at}};
}

// The console's record of a job. A job made through the admin API (a CI script, ads-admin) has none: it belongs to
// an OEM when every device it targets is that OEM's, so the OEM watches it like its own; a job across OEMs is
// shown to none of them, since its counters would tell one OEM about another's devices.
std::optional<job_meta> meta_of_job(request_context& c, const ota_job_record& job) {
  if (auto meta = c.storage().ota().find_job_meta(job.job_id)) return std::move(*meta);
  const auto oems = c.storage().ota().ota_job_oems(job.job_id);  // one query, whatever the job's size
  if (oems.size() != 1) return std::nullopt;
  return job_meta{job.job_id, oems.front(), job.oem_model.value_or(""), "made through the admin API", ""};
}

// The caller's job the path names; else 404 (unknown) or 403 (another OEM's).
common::result<job_meta, http_error> own_job(request_context& c) {
  const auto id = detail::parse_int(c.params.at(0));
  const auto job = id ? c.storage().ota().find_ota_job(*id) : store_error::not_found;
  auto meta = job ? meta_of_job(c, *job) : std::nullopt;
  if (!meta) return http_error{404, "unknown job"};
  if (meta->oem_id != c.account().oem_id) return http_error{403, "another OEM's job"};
  return std::move(*meta);
}

}  // namespace

reply get_images(request_context& c) {
  std::set<std::int64_t> in_use;
  for (const auto& job : c.storage().ota().list_ota_jobs()) in_use.insert(job.image_id);
  json images = json::array();
  for (const auto& [image, meta] : visible_images(c))
    images.push_back({{"image_id", image.image_id},
                      {"type", image.type},
                      {"model", image.model},
                      {"version", image.version},
                      {"from_version", meta.from_version},
                      {"description", meta.description},
                      {"in_use", in_use.contains(image.image_id)},
                      {"uploaded_at", meta.uploaded_at},
                      {"size", image.size},
                      {"sha256", image.sha256}});
  return json_response(200, json{{"images", images}});
}

// The module maker uploads module images; an OEM uploads host images, which only it sees.
reply post_image(request_context& c) {
  const bool maker = c.account().role == account_role::module_maker;
  const std::string description = text_or_empty(c.body, "description");
  const std::string from_version = text_or_empty(c.body, "from_version");
  if (description.size() > max_description || from_version.size() > max_version_length)
    return error_response(400, "description or from version too long");
  const auto bytes = ads_client::base64_decode(text_or_empty(c.body, "data_base64"));
  if (!bytes) return error_response(400, "data_base64 is not base64");
  const auto added = c.core.add_image(maker ? "module" : "host", text_or_empty(c.body, "model"),
                                      text_or_empty(c.body, "version"), *bytes, c.now);
  if (!added) return added.error();
  const image_meta meta{added->image_id, maker ? "" : c.account().oem_id, description, from_version, iso8601(c.now)};
  if (!c.storage().ota().insert_image_meta(meta)) return error_response(500, "cannot store the image's description");
  return json_response(201, json{{"image_id", added->image_id}, {"size", added->size}, {"sha256", added->sha256}});
}

reply preview_ota_job(request_context& c) {
  const auto wanted = read_job_request(c);
  if (!wanted) return wanted.error();
  json devices = json::array();
  for (const auto& device : wanted->devices)
    devices.push_back({{"dsn", device.dsn}, {"model", device.model}, {"fw_version", device.fw_version}});
  return json_response(200, json{{"devices", devices}});
}

reply post_ota_job(request_context& c) {
  const auto wanted = read_job_request(c);
  if (!wanted) return wanted.error();
  if (wanted->devices.empty()) return error_response(422, "no device of that OEM model");
  const std::string description = text_or_empty(c.body, "description");
  if (description.size() > max_description) return error_response(400, "description: at most 256 characters");
  std::vector<std::string> dsns;
  for (const auto& device : wanted->devices) dsns.push_back(device.dsn);
  const auto job = c.core.create_ota_job(wanted->image.image.image_id, "", dsns, c.now);
  if (!job) return job.error();
  const job_meta meta{job->job_id, c.account().oem_id, text_or_empty(c.body, "oem_model"), description, ""};
  if (!c.storage().ota().insert_job_meta(meta)) return error_response(500, "cannot store the job's owner");
  return json_response(201, job_json(c, meta));
}

reply get_ota_jobs(request_context& c) {
  json jobs = json::array();
  for (const auto& job : c.storage().ota().list_ota_jobs()) {
    const auto meta = meta_of_job(c, job);
    if (meta && meta->oem_id == c.account().oem_id)
      if (auto shown = job_json(c, *meta); !shown.is_null()) jobs.push_back(std::move(shown));
  }
  return json_response(200, json{{"ota_jobs", jobs}});
}

// A job's counters and one page of its devices (?page=P from 1, ?per_page=N up to max_job_page; by default the first
// default_job_page): the page polls it every second while devices download, at any job size.
reply get_ota_job(request_context& c) {
  const auto found = own_job(c);
  if (!found) return found.error();
  const auto number = [&c](std::string_view name, std::int64_t fallback) -> std::optional<std::int64_t> {
    const auto text = c.request.query_param(name);
    return text ? detail::parse_int(*text) : fallback;
  };
  const auto page = number("page", 1);
  const auto per_page = number("per_page", default_job_page);
  if (!page || *page < 1 || *page > max_job_page_number || !per_page || *per_page < 1 || *per_page > max_job_page)
    return http_error{400, "page is a number from 1 to " + std::to_string(max_job_page_number) +
                               " and per_page one from 1 to " + std::to_string(max_job_page)};
  json out = job_json(c, *found);
  json targets = json::array();
  for (const auto& target : c.storage().ota().ota_target_page(found->job_id, (*page - 1) * *per_page, *per_page))
    targets.push_back({{"dsn", target.dsn}, {"fw_version", target.fw_version}, {"state", to_text(target.state)}});
  out["devices"] = std::move(targets);
  out["page"] = *page;
  out["per_page"] = *per_page;
  return json_response(200, out);
}

reply start_ota_job(request_context& c) {
  const auto found = own_job(c);
  if (!found) return found.error();
  const auto started = c.core.start_ota_job(found->job_id, c.now);
  if (!started) return started.error();
  // A job from the admin API gets the console's record when the OEM starts it here.
  if (!c.storage().ota().find_job_meta(found->job_id) && !c.storage().ota().insert_job_meta(*found))
    return error_response(500, "cannot store the job's owner");
  c.storage().ota().set_job_started(found->job_id, iso8601(c.now));
  auto meta = *found;
  meta.started_at = iso8601(c.now);
  return json_response(200, job_json(c, meta));
}

}  // namespace ads_sim::console
