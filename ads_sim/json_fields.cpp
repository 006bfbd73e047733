#include "ads_sim/json_fields.hpp"

#include "ads_sim/http_message.hpp"

namespace ads_sim {

using nlohmann::json;

std::optional<json> parse_json_object(std::string_view text) {
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

bool is_json_content_type(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string_view type = content_type->substr(0, content_type->find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return iequals(type, "application/json");
}

const json* member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

const std::string* string_field(const json& object, std::string_view name) {
  const json* value = member(object, name);
  return value && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

std::optional<std::int64_t> integer_field(const json& object, std::string_view name) {
  const json* value = member(object, name);
  if (!value || !value->is_number_integer()) return std::nullopt;
  return value->get<std::int64_t>();
}

const json* object_field(const json& object, std::string_view name) {
  const json* value = member(object, name);
  return value && value->is_object() ? value : nullptr;
}

std::string text_or_empty(const json& object, std::string_view name) {
  const auto* value = string_field(object, name);
  return value ? *value : std::string();
}

json parsed_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  json value = json::parse(*text, nullptr, false);
  return value.is_discarded() ? json(nullptr) : value;
}

}  // namespace ads_sim
