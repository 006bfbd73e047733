#pragma once
// The firmware version a new module's NV holds, in a header of its own: code that writes a new module (the fleet's
// roster) needs this line, not the module host's Asio types.

namespace sim7600_emu {

// The firmware a new module reports (NV fw/version) until a module OTA replaces it.
inline constexpr const char* factory_firmware_version =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a";

}  // namespace sim7600_emu
