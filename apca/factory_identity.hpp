#pragma once
// The factory-provisioned identity a module leaves the factory with (what AT+ADA="reset" returns to).
#include <string>

#include "config_store/nv_image.hpp"

namespace apca {

struct factory_identity {
  std::string oem_id;
  std::string oem_model;
  std::string oem_secret;
  std::string region;  // "CN" / "US"
  std::string dsn;
  std::string public_key;  // id/key: base64 body
};

// Writes the identity as the factory image (NV "factory/<name>"). A live config value that is unset or still the
// old factory value follows it; values the host changed are kept. Returns whether the image changed.
bool install_factory_identity(config_store::nv_image& nv, const factory_identity& identity);

}  // namespace apca
