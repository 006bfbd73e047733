// OTA part assembly (apca::ota_manager): offers from the cloud, the host's AT+ADA="ota" commands, range fetches
// answered with any bytes (short, long, failed), NV stores completed or failed, reconnections and reboots in any
// order. It never crashes, and every host image line carries what the note promises: a `part` line exactly 48
// image bytes, a window's closing `ok` line 1 to 48.
//
// Input: records separated by 0x1D. "O<json>" an ota.json command (ids count up from 1); "A<op><image><id>[,<n>]"
// AT+ADA="ota" with op d(ownload) a(pply) m(cu_mode) s(tatus) and image h(ost) m(odule); "F<bytes>" answer the
// oldest fetch with these bytes; "G<byte>" answer it with as many bytes as it asked, all this byte; "E" fail it
// (the link lost), "R" refuse it (the image's host said no); "D" the port drained; "U" the connection came up;
// "L" it went down; "N0"/"N1" fail/complete the oldest NV store; "P" power cycle (the NV as stored so far).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "fuzz/ota_rig.hpp"
#include "fuzz/records.hpp"

namespace {

std::optional<apca::ota_request> ota_request_from(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  apca::ota_request request;
  using op = apca::ota_request::operation;
  switch (text[0]) {
    case 'd': request.op = op::download; break;
    case 'a': request.op = op::apply; break;
    case 'm': request.op = op::mcu_mode; break;
    case 's': request.op = op::status; break;
    default: return std::nullopt;
  }
  request.target = text[1] == 'm' ? apca::ota_request::image::module : apca::ota_request::image::host;
  text.remove_prefix(2);
  const auto comma = text.find(',');
  request.id = std::string(text.substr(0, comma));
  if (comma != std::string_view::npos) request.number = fuzz::small_number(text.substr(comma + 1), 0);
  return request;
}

// The image bytes of a `+ADA: "ota","<kind>","<id>","<base64>"` line, when it is one.
std::optional<std::string> image_bytes(const std::string& line, std::string_view kind) {
  const std::string prefix = "+ADA: \"ota\",\"" + std::string(kind) + "\",\"";
  if (!line.starts_with(prefix) || !line.ends_with('"')) return std::nullopt;
  const auto last_quote = line.rfind('"', line.size() - 2);
  return ads_client::base64_decode(line.substr(last_quote + 1, line.size() - last_quote - 2));
}

void check_lines(const std::vector<std::string>& lines) {
  for (const auto& line : lines) {
    if (line.starts_with("+ADA: \"ota\",\"part\",")) {
      const auto bytes = image_bytes(line, "part");
      if (!bytes || bytes->size() != apca::ota_part_bytes) std::abort();
    } else if (line.starts_with("+ADA: \"ota\",\"ok\",")) {
      const auto bytes = image_bytes(line, "ok");
      if (!bytes || bytes->empty() || bytes->size() > apca::ota_part_bytes) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::ota_rig rig;
  std::int64_t next_command_id = 1;
  for (const std::string_view record : fuzz::split_records(fuzz::as_text(data, size))) {
    if (record.empty()) continue;
    const std::string_view rest = record.substr(1);
    switch (record.front()) {
      case 'O': {
        const auto json = nlohmann::json::parse(rest, nullptr, false);
        rig.manager.on_command({next_command_id++, "GET", "ota.json", "/devices/1/commands/1.json",
                                json.is_discarded() ? nlohmann::json(std::string(rest)) : json});
        break;
      }
      case 'A':
        if (const auto request = ota_request_from(rest)) rig.manager.handle(*request);
        break;
      case 'F': rig.cloud.answer_next(std::string(rest)); break;
      case 'G':
        rig.cloud.answer_next(std::string(rig.cloud.fetches.empty() ? 0 : rig.cloud.fetches.front().length,
                                          rest.empty() ? '\0' : rest.front()));
        break;
      case 'E': rig.cloud.answer_next(apca::fetch_link_lost()); break;
      case 'R': rig.cloud.answer_next(apca::fetch_refused({apca::ada_code::err, "image: 404"})); break;
      case 'D': rig.manager.on_host_output_drained(); break;
      case 'U':
        rig.cloud.is_online = true;
        rig.manager.on_online();
        break;
      case 'L': rig.cloud.is_online = false; break;
      case 'N': rig.complete_store(rest != "0"); break;
      case 'P':
        rig.reboot_asked = false;
        rig.manager.power_cycle(rig.nv);
        break;
      default: break;
    }
  }
  check_lines(rig.urcs.lines);
  return 0;
}
