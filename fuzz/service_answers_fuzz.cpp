// The module's parsers of the device service's answers (dsns, commands.json with properties and ota.json
// commands, a property, provisioning, error texts) on any response: they never crash, and an OTA offer that
// parses reaches the OTA manager, which accepts or refuses it without crashing.
//
// Input: "<status digit><body>" (responses.hpp: response_from).
#include <cstddef>
#include <cstdint>

#include "ads_client/device_protocol.hpp"
#include "apca/ota_manager.hpp"
#include "fuzz/ota_rig.hpp"
#include "fuzz/responses.hpp"
#include "fuzz/records.hpp"

namespace api = ads_client::device_api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto outcome = fuzz::response_from(fuzz::as_text(data, size));
  const auto* response = std::get_if<ads_client::http_response>(&outcome);
  if (!response) return 0;
  api::parse_dsn(*response);
  api::parse_property(*response);
  api::parse_provision(*response);
  api::error_text(*response);
  if (const auto batch = api::parse_commands(*response)) {
    for (const auto& update : batch->properties) api::value_to_text(update.base_type, update.value);
    fuzz::ota_rig ota;
    for (const auto& command : batch->cmds) ota.manager.on_command(command);
  }
  return 0;
}
