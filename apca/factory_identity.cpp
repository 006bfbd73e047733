#include "apca/factory_identity.hpp"

#include <utility>

#include "apca/config_names.hpp"

namespace apca {

bool install_factory_identity(config_store::nv_image& nv, const factory_identity& identity) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"oem/id", &identity.oem_id},     {"oem/model", &identity.oem_model}, {"oem/secret", &identity.oem_secret},
      {"server/region", &identity.region}, {"id/dev_id", &identity.dsn},   {"id/key", &identity.public_key},
  };
  bool changed = false;
  for (const auto& [key, value] : fields) {
    const std::string factory_key = std::string(factory_prefix) + key;
    const auto old_factory = nv.get(factory_key);
    const auto live = nv.get(key);
    if (!live || live->empty() || live == old_factory) {
      changed |= live != *value;
      nv.values[key] = *value;
    }
    changed |= old_factory != *value;
    nv.values[factory_key] = *value;
  }
  return changed;
}

}  // namespace apca
