// OTA in the service (SPEC §4–§6), its routes: the admin API's images and jobs, the devices' ranged image
// downloads (from this service or the image host) and their results.
#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"
#include "common/result.hpp"

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

// The image's bytes, or the Range asked for; the planned faults applied.
reply serve_image(request_context& c, std::int64_t image_id) {
  const auto image = c.storage().ota().find_image(image_id);
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
  if (cut_download_now(c.state().faults, image->image_id, first, last)) return drop_connection{};
  auto bytes = c.storage().ota().read_image(image->image_id, first, last - first + 1);
  if (!bytes) return error_response(500, "cannot read the image");
  corrupt_in_place(c.state().faults, image->image_id, first, image->size, *bytes);
  http_response response;
  response.status = range_header ? 206 : 200;
  response.body = std::move(*bytes);
  response.set_header("Content-Type", "application/octet-stream");
  if (range_header)
    response.set_header("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                                             std::to_string(image->size));
  return response;
}

reply get_ota_location(request_context& c) {
  const auto id = parse_int(c.params.at(1));
  const auto image = id ? c.storage().ota().find_image(*id) : store_error::not_found;
  if (!image) return error_response(404, "unknown image");
  const std::string url =
      c.state().endpoints.image_url + "/images/" + std::to_string(image->image_id) + "/" + image_token(c.state(), image->image_id) + ".bin";
  return json_response(200, ota_offer(*image, url, "remote"));
}

reply get_hosted_image(request_context& c) {
  const auto id = parse_int(c.params.at(0));
  if (!id || c.params.at(1).size() != 32 || !same_secret(c.params.at(1), image_token(c.state(), *id)))
    return error_response(404, "unknown image");
  return serve_image(c, *id);
}

reply get_image(request_context& c) {
  const auto id = parse_int(c.params.at(1));
  if (!id) return error_response(404, "unknown image");
  return serve_image(c, *id);
}

reply put_ota_failed(request_context& c) {
  const json* status = object_field(c.body, "ota-status");
  if (!status) return error_response(400, "body needs an \"ota-status\" object");
  const auto* type = string_field(*status, "type");
  if (!type || (*type != "module" && *type != "host_mcu") || !integer_field(*status, "status"))
    return error_response(400, "ota-status needs status (integer) and type (module or host_mcu)");
  c.storage().ota().fail_ota_targets(c.device->key, *type == "module" ? "module" : "host");
  return empty_response(204);
}

reply admin_post_image(request_context& c) {
  const auto* type = string_field(c.body, "type");
  const auto* model = string_field(c.body, "model");
  const auto* version = string_field(c.body, "version");
  const auto* data = string_field(c.body, "data_base64");
  if (!type || !model || !version || !data) return error_response(400, "type, model, version, data_base64 required");
  const auto bytes = ads_client::base64_decode(*data);
  if (!bytes) return error_response(400, "data_base64 is not base64");
  const auto added = c.core.add_image(*type, *model, *version, *bytes, c.now);
  if (!added) return added.error();
  return json_response(201, json{{"image_id", added->image_id}, {"size", added->size}, {"sha256", added->sha256}});
}

reply admin_list_images(request_context& c) {
  json images = json::array();
  for (const auto& image : c.storage().ota().list_images()) images.push_back(image_json(image));
  return json_response(200, json{{"images", images}});
}

// A job's "dsns": absent (none), or a non-empty array of strings.
common::result<std::vector<std::string>, http_error> dsns_of(const json& body) {
  const json* list = member(body, "dsns");
  if (!list) return std::vector<std::string>{};
  const http_error wrong{400, "dsns must be a non-empty array of strings"};
  if (!list->is_array() || list->empty()) return wrong;
  std::vector<std::string> dsns;
  for (const auto& dsn : *list) {
    if (!dsn.is_string()) return wrong;
    dsns.push_back(dsn.get<std::string>());
  }
  return dsns;
}

reply admin_post_ota_job(request_context& c) {
  const auto image_id = integer_field(c.body, "image_id");
  if (!image_id) return error_response(400, "image_id is required");
  std::string oem_model;
  if (member(c.body, "oem_model")) {
    const auto* given = string_field(c.body, "oem_model");
    if (!given || given->empty()) return error_response(400, "oem_model must be a non-empty string");
    oem_model = *given;
  }
  const auto dsns = dsns_of(c.body);
  if (!dsns) return dsns.error();
  const auto job = c.core.create_ota_job(*image_id, oem_model, *dsns, c.now);
  if (!job) return job.error();
  return json_response(201, job_json(*job));
}

reply admin_list_ota_jobs(request_context& c) {
  json jobs = json::array();
  for (const auto& job : c.storage().ota().list_ota_jobs()) jobs.push_back(job_json(job));
  return json_response(200, json{{"ota_jobs", jobs}});
}

reply admin_get_ota_job(request_context& c) {
  const auto id = parse_int(c.params.at(0));
  const auto job = id ? c.storage().ota().find_ota_job(*id) : store_error::not_found;
  if (!job) return error_response(404, "unknown job");
  return json_response(200, job_json(*job));
}

reply admin_start_ota_job(request_context& c) {
  const auto id = parse_int(c.params.at(0));
  if (!id) return error_response(404, "unknown job");
  const auto started = c.core.start_ota_job(*id, c.now);
  if (!started) return started.error();
  return json_response(200, job_json(*started));
}

}  // namespace

void ota_routes(router& r) {
  static constexpr route routes[] = {
      {"GET", "/devices/{}/images/{}.bin", audience::device, &get_image},
      {"GET", "/devices/{}/images/{}/location.json", audience::device, &get_ota_location},
      {"GET", "/images/{}/{}.bin", audience::anyone, &get_hosted_image},
      {"PUT", "/devices/{}/ota_failed.json", audience::device, &put_ota_failed},
      {"POST", "/api/v1/images", audience::admin, &admin_post_image},
      {"GET", "/api/v1/images", audience::admin, &admin_list_images},
      {"POST", "/api/v1/ota_jobs", audience::admin, &admin_post_ota_job},
      {"GET", "/api/v1/ota_jobs", audience::admin, &admin_list_ota_jobs},
      {"GET", "/api/v1/ota_jobs/{}", audience::admin, &admin_get_ota_job},
      {"POST", "/api/v1/ota_jobs/{}/start", audience::admin, &admin_start_ota_job},
  };
  r.add(routes);
}

}  // namespace ads_sim
