// Templates: a model's properties with their directions and types (PROTOCOL.md §3). A device of a templated model
// may only use the template's properties — anything else is 404, as Ayla's service answers ("prop may not be in
// template", APCA's error text). A model without a template accepts any property (see PROTOCOL.md §2.5).
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim {

using nlohmann::json;
using namespace detail;

namespace {

json template_json(const std::vector<template_property>& list) {
  json properties = json::array();
  for (const auto& property : list)
    properties.push_back({{"name", property.name},
                          {"base_type", std::string(to_text(property.type))},
                          {"direction", std::string(to_text(property.dir))}});
  return json{{"properties", properties}};
}

}  // namespace

api_result<std::vector<template_property>> service_core::set_template(std::string_view oem_id,
                                                                      std::string_view model,
                                                                      const json& properties) {
  using result = api_result<std::vector<template_property>>;
  if (!store_->oems().find_oem(oem_id)) return result::failure(404, "unknown oem");
  if (!valid_name(model, 64)) return result::failure(400, "model: 1..64 of [A-Za-z0-9_.-]");
  if (!properties.is_array()) return result::failure(400, "properties must be an array");
  std::vector<template_property> list;
  for (const auto& entry : properties) {
    const auto* name = entry.is_object() ? string_field(entry, "name") : nullptr;
    const auto* type_name = entry.is_object() ? string_field(entry, "base_type") : nullptr;
    const auto* dir_name = entry.is_object() ? string_field(entry, "direction") : nullptr;
    const auto type = type_name ? from_text<base_type>(*type_name) : std::nullopt;
    const auto dir = dir_name && (*dir_name == "input" || *dir_name == "output") ? from_text<direction>(*dir_name)
                                                                                 : std::nullopt;
    if (!name || !valid_name(*name, 64) || !type || !dir)
      return result::failure(400, "each property needs name, base_type and direction (input or output)");
    for (const auto& earlier : list)
      if (earlier.name == *name) return result::failure(400, "property " + *name + " is listed twice");
    list.push_back({*name, *type, *dir});
  }
  if (!store_->templates().replace_template(oem_id, model, list))
    return result::failure(500, "cannot store the template");
  return result::success(std::move(list));
}

api_result<std::optional<template_property>> service_core::template_entry(const device_record& device,
                                                                          std::string_view name) {
  using result = api_result<std::optional<template_property>>;
  const auto list = store_->templates().find_template(device.oem_id, device.model);
  if (!list && list.error() == store_error::not_found) return result::success(std::nullopt);
  if (!list) return result::failure(500, "cannot read the template");
  for (const auto& property : *list)
    if (property.name == name) return result::success(property);
  return result::failure(404, "prop may not be in template");
}

outcome service_core::admin_put_template(call& c) {
  const auto set = set_template(c.params.at(0), c.params.at(1), c.body.value("properties", json()));
  if (!set) return failure_response(set);
  return json_response(200, template_json(*set.value));
}

outcome service_core::admin_get_template(call& c) {
  if (!store_->oems().find_oem(c.params.at(0))) return error_response(404, "unknown oem");
  const auto list = store_->templates().find_template(c.params.at(0), c.params.at(1));
  if (!list) return error_response(404, "the model has no template");
  return json_response(200, template_json(*list));
}

}  // namespace ads_sim
