// Fault injection (admin API): corrupted image downloads, a download that loses its connection, and a command's
// answer lost in flight, so tests and CI pipelines can check how a module copes — never applying a bad image,
// resuming a cut download, getting the command again.
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_core_detail.hpp"

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

}  // namespace

outcome service_core::admin_get_faults(call&) { return json_response(200, faults_json(faults_)); }

// {"corrupt_image": <image id>} and/or {"cut_download": {"image_id": <id>, "at": <byte offset>}}.
outcome service_core::admin_post_faults(call& c) {
  bool understood = false;
  if (c.body.contains("corrupt_image")) {
    const json& id = c.body["corrupt_image"];
    if (!id.is_number_integer() || !store_->ota().find_image(id.get<std::int64_t>()))
      return error_response(400, "corrupt_image wants an image id");
    faults_.corrupt_images.insert(id.get<std::int64_t>());
    understood = true;
  }
  if (c.body.contains("cut_download")) {
    const json& cut = c.body["cut_download"];
    if (!cut.is_object() || !cut.contains("image_id") || !cut["image_id"].is_number_integer() ||
        !cut.contains("at") || !cut["at"].is_number_integer() || cut["at"].get<std::int64_t>() < 0) {
      return error_response(400, "cut_download wants {\"image_id\":<id>,\"at\":<offset>}");
    }
    const int times = cut.contains("times") && cut["times"].is_number_integer() ? cut["times"].get<int>() : 1;
    if (times < 1) return error_response(400, "cut_download times must be at least 1");
    faults_.cut_download =
        fault_plan::cut{cut["image_id"].get<std::int64_t>(), cut["at"].get<std::int64_t>(), times};
    understood = true;
  }
  if (c.body.contains("lose_command_answers")) {
    const json& times = c.body["lose_command_answers"];
    if (!times.is_number_integer() || times.get<std::int64_t>() < 1 || times.get<std::int64_t>() > 1000)
      return error_response(400, "lose_command_answers wants a count from 1 to 1000");
    faults_.lose_command_answers = times.get<int>();
    understood = true;
  }
  if (!understood)
    return error_response(400, "no fault named: use corrupt_image, cut_download or lose_command_answers");
  return json_response(200, faults_json(faults_));
}

outcome service_core::admin_delete_faults(call&) {
  faults_ = {};
  return json_response(200, faults_json(faults_));
}

std::optional<outcome> service_core::image_fault(std::int64_t image_id, std::int64_t first, std::int64_t last) {
  if (faults_.cut_download && faults_.cut_download->image_id == image_id && faults_.cut_download->at >= first &&
      faults_.cut_download->at <= last) {
    if (--faults_.cut_download->times == 0) faults_.cut_download.reset();  // then the download goes through
    // Built in place: a temporary variant moved into the optional trips g++ 12's maybe-uninitialized (ASan builds).
    return std::optional<outcome>(std::in_place, std::in_place_type<drop_connection>);
  }
  return std::nullopt;
}

std::optional<outcome> service_core::command_answer_fault(const command_batch& batch) {
  if (batch.cmds.empty() || faults_.lose_command_answers == 0) return std::nullopt;
  --faults_.lose_command_answers;
  return std::optional<outcome>(std::in_place, std::in_place_type<drop_connection>);
}

// One byte in the middle of the image, flipped whenever a download covers it.
void service_core::corrupt_in_place(std::int64_t image_id, std::int64_t first, std::int64_t size,
                                    std::string& bytes) const {
  if (!faults_.corrupt_images.count(image_id)) return;
  const std::int64_t middle = size / 2;
  if (middle < first || middle >= first + static_cast<std::int64_t>(bytes.size())) return;
  bytes[static_cast<std::size_t>(middle - first)] ^= 0x5A;
}

}  // namespace ads_sim
