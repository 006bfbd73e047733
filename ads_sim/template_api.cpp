// Templates: a model's properties with their directions and types (PROTOCOL.md §3). A device of a templated model
// may only use the template's properties — anything else is 404, as Ayla's service answers ("prop may not be in
// template", APCA's error text). A model without a template accepts any property (see PROTOCOL.md §2.5).
#include "ads_sim/json_fields.hpp"
#include "ads_sim/service_core_detail.hpp"
#include "ads_sim/service_state.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

api_result<std::vector<template_property>> service_core::set_template(std::string_view oem_id,
                                                                      std::string_view model,
                                                                      const json& properties) {
  if (!state_->storage->oems().find_oem(oem_id)) return http_error{404, "unknown oem"};
  if (!valid_name(model, 64)) return http_error{400, "model: 1..64 of [A-Za-z0-9_.-]"};
  if (!properties.is_array()) return http_error{400, "properties must be an array"};
  std::vector<template_property> list;
  for (const auto& entry : properties) {
    const auto* name = entry.is_object() ? string_field(entry, "name") : nullptr;
    const auto* type_name = entry.is_object() ? string_field(entry, "base_type") : nullptr;
    const auto* dir_name = entry.is_object() ? string_field(entry, "direction") : nullptr;
    const auto type = type_name ? from_text<base_type>(*type_name) : std::nullopt;
    const auto dir = dir_name && (*dir_name == "input" || *dir_name == "output") ? from_text<direction>(*dir_name)
                                                                                 : std::nullopt;
    if (!name || !valid_name(*name, 64) || !type || !dir)
      return http_error{400, "each property needs name, base_type and direction (input or output)"};
    for (const auto& earlier : list)
      if (earlier.name == *name) return http_error{400, "property " + *name + " is listed twice"};
    list.push_back({*name, *type, *dir});
  }
  if (!state_->storage->templates().replace_template(oem_id, model, list))
    return http_error{500, "cannot store the template"};
  return list;
}

api_result<std::optional<template_property>> template_entry(store& storage, const device_record& device,
                                                            std::string_view name) {
  const auto list = storage.templates().find_template(device.oem_id, device.model);
  if (!list && list.error() == store_error::not_found) return std::optional<template_property>();
  if (!list) return http_error{500, "cannot read the template"};
  for (const auto& property : *list)
    if (property.name == name) return std::optional(property);
  return http_error{404, "prop may not be in template"};
}

}  // namespace ads_sim
