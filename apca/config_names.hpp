#pragma once
// The AT+ADA config names (`cs`/`cg`): which exist, which are secrets, which setup mode locks, and how each
// value is checked and normalised before it is stored under its NV key.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "apca/ada_text.hpp"

namespace apca {

struct config_name {
  std::string_view key;  // the NV key, also the name `cg` prints for it
  bool secret;           // write-only: `cg` says "set"/"unset", never the value
  bool identity;         // cannot change while setup mode is disabled
};

inline constexpr std::size_t max_config_value = 1024;
// NV keys of the factory-provisioned image: "factory/" + config key.
inline constexpr std::string_view factory_prefix = "factory/";

std::span<const config_name> config_names();

// Looks a name up as the host typed it, in any case (aliases such as "oem/region" give "server/region"); nullptr if
// unknown.
const config_name* find_config_name(std::string_view typed);

// Checks `value` for `name` and returns the form to store: at most 1024 characters (5), region "CN"/"US" in any
// case stored upper-case (6), id/key an RSA public key body, stored without whitespace (6).
std::optional<ada_error> normalise_config_value(const config_name& name, std::string& value);

}  // namespace apca
