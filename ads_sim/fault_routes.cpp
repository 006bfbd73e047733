// Fault injection (admin API): corrupted image downloads, a download that loses its connection, and a command's
// answer lost in flight, so tests and CI pipelines can check how a module copes — never applying a bad image,
// resuming a cut download, getting the command again.
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_state.hpp"

namespace ads_sim {

using nlohmann::json;

namespace {

json faults_json(const fault_plan& faults) {
  json out = {{"corrupt_images", json(std::vector<std::int64_t>(faults.corrupt_images.begin(),
                                                               faults.corrupt_images.end()))}};
  out["cut_download"] = faults.cut_download
                            ? json{{"image_id", faults.cut_download->image_id},
                                   {"at", faults.cut_download->at},
                                   {"times", faults.cut_download->times}}
                            : json(nullptr);
  out["lose_command_answers"] = faults.lose_command_answers;
  return out;
}

reply admin_get_faults(request_context& c) { return json_response(200, faults_json(c.state().faults)); }

// {"corrupt_image": <image id>} and/or {"cut_download": {"image_id": <id>, "at": <byte offset>}}.
reply admin_post_faults(request_context& c) {
  fault_plan& faults = c.state().faults;
  bool understood = false;
  if (member(c.body, "corrupt_image")) {
    const auto id = integer_field(c.body, "corrupt_image");
    if (!id || !c.storage().ota().find_image(*id)) return error_response(400, "corrupt_image wants an image id");
    faults.corrupt_images.insert(*id);
    understood = true;
  }
  if (const json* cut = member(c.body, "cut_download")) {
    const auto image_id = integer_field(*cut, "image_id");
    const auto at = integer_field(*cut, "at");
    if (!image_id || !at || *at < 0) return error_response(400, "cut_download wants {\"image_id\":<id>,\"at\":<offset>}");
    const int times = static_cast<int>(integer_field(*cut, "times").value_or(1));
    if (times < 1) return error_response(400, "cut_download times must be at least 1");
    faults.cut_download = fault_plan::cut{*image_id, *at, times};
    understood = true;
  }
  if (member(c.body, "lose_command_answers")) {
    const auto times = integer_field(c.body, "lose_command_answers");
    if (!times || *times < 1 || *times > 1000)
      return error_response(400, "lose_command_answers wants a count from 1 to 1000");
    faults.lose_command_answers = static_cast<int>(*times);
    understood = true;
  }
  if (!understood)
    return error_response(400, "no fault named: use corrupt_image, cut_download or lose_command_answers");
  return json_response(200, faults_json(faults));
}

reply admin_delete_faults(request_context& c) {
  c.state().faults = {};
  return json_response(200, faults_json(c.state().faults));
}

}  // namespace

void fault_routes(router& r) {
  static constexpr route routes[] = {
      {"GET", "/api/v1/faults", audience::admin, &admin_get_faults},
      {"POST", "/api/v1/faults", audience::admin, &admin_post_faults},
      {"DELETE", "/api/v1/faults", audience::admin, &admin_delete_faults},
  };
  r.add(routes);
}

bool cut_download_now(fault_plan& faults, std::int64_t image_id, std::int64_t first, std::int64_t last) {
  if (!faults.cut_download || faults.cut_download->image_id != image_id || faults.cut_download->at < first ||
      faults.cut_download->at > last)
    return false;
  if (--faults.cut_download->times == 0) faults.cut_download.reset();  // then the download goes through
  return true;
}

bool lose_command_answer_now(fault_plan& faults, const command_batch& batch) {
  if (batch.cmds.empty() || faults.lose_command_answers == 0) return false;
  --faults.lose_command_answers;
  return true;
}

// One byte in the middle of the image, flipped whenever a download covers it.
void corrupt_in_place(const fault_plan& faults, std::int64_t image_id, std::int64_t first, std::int64_t size,
                      std::string& bytes) {
  if (!faults.corrupt_images.count(image_id)) return;
  const std::int64_t middle = size / 2;
  if (middle < first || middle >= first + static_cast<std::int64_t>(bytes.size())) return;
  bytes[static_cast<std::size_t>(middle - first)] ^= 0x5A;
}

}  // namespace ads_sim
