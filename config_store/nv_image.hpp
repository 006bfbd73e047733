#pragma once
// nv_image: the module's non-volatile memory as named string values (config keys, setup mode, firmware, OTA).
#include <map>
#include <optional>
#include <string>

namespace config_store {

// Keys are flat names: the AT+ADA config names ("oem/id", "id/key", ...) as they are, and module-private
// names under their own prefixes ("factory/oem/id", "setup/enabled", "fw/version", "ota/...").
struct nv_image {
  std::map<std::string, std::string> values;

  std::optional<std::string> get(const std::string& key) const {
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  bool operator==(const nv_image&) const = default;
};

}  // namespace config_store
