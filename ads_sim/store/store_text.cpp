#include <array>

#include "ads_sim/store/store.hpp"

namespace ads_sim {
namespace {

constexpr std::array<std::string_view, 3> store_error_texts = {"not found", "exists", "database error"};
constexpr std::array<std::string_view, 4> base_type_texts = {"boolean", "integer", "decimal", "string"};
constexpr std::array<std::string_view, 2> direction_texts = {"input", "output"};
constexpr std::array<std::string_view, 2> account_role_texts = {"module_maker", "oem"};
constexpr std::array<std::string_view, 3> ota_job_status_texts = {"none", "running", "completed"};
constexpr std::array<std::string_view, 5> ota_target_state_texts = {"pending", "processing", "downloaded",
                                                                    "succeeded", "failed"};
constexpr std::array<std::string_view, 2> registration_type_texts = {"Dsn", "Display"};

template <typename Enum, std::size_t n>
std::string_view text_of(const std::array<std::string_view, n>& texts, Enum value) {
  return texts.at(static_cast<std::size_t>(value));
}

template <typename Enum, std::size_t n>
std::optional<Enum> value_of(const std::array<std::string_view, n>& texts, std::string_view text) {
  for (std::size_t i = 0; i < n; ++i)
    if (texts[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_text(store_error error) { return text_of(store_error_texts, error); }
std::string_view to_text(base_type type) { return text_of(base_type_texts, type); }
std::string_view to_text(direction dir) { return text_of(direction_texts, dir); }
std::string_view to_text(account_role role) { return text_of(account_role_texts, role); }
std::string_view to_text(ota_job_status status) { return text_of(ota_job_status_texts, status); }
std::string_view to_text(ota_target_state state) { return text_of(ota_target_state_texts, state); }
std::string_view to_text(registration_type type) { return text_of(registration_type_texts, type); }

template <>
std::optional<base_type> from_text<base_type>(std::string_view text) {
  return value_of<base_type>(base_type_texts, text);
}

template <>
std::optional<direction> from_text<direction>(std::string_view text) {
  // Databases written before the Ayla names hold "to_device" / "from_device".
  if (text == "to_device") return direction::to_device;
  if (text == "from_device") return direction::from_device;
  return value_of<direction>(direction_texts, text);
}

template <>
std::optional<account_role> from_text<account_role>(std::string_view text) {
  return value_of<account_role>(account_role_texts, text);
}

template <>
std::optional<ota_job_status> from_text<ota_job_status>(std::string_view text) {
  return value_of<ota_job_status>(ota_job_status_texts, text);
}

template <>
std::optional<ota_target_state> from_text<ota_target_state>(std::string_view text) {
  return value_of<ota_target_state>(ota_target_state_texts, text);
}

template <>
std::optional<registration_type> from_text<registration_type>(std::string_view text) {
  return value_of<registration_type>(registration_type_texts, text);
}

}  // namespace ads_sim
