#include "apca/config_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "ads_client/rsa_key.hpp"

namespace apca {
namespace {

constexpr std::array<config_name, 9> names = {{
    {"oem/id", false, true},
    {"oem/model", false, true},
    {"oem/keyid", false, true},
    {"oem/hwid", false, true},
    {"oem/secret", true, false},
    {"oem/template_version", false, false},
    {"server/region", false, false},
    {"id/dev_id", false, true},
    {"id/key", true, true},
}};

struct alias {
  std::string_view typed;
  std::string_view key;
};
// The note's sample 4.2 sets the region as "oem/region".
constexpr std::array<alias, 1> aliases = {{{"oem/region", "server/region"}}};

std::string without_whitespace(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

}  // namespace

std::span<const config_name> config_names() { return names; }

const config_name* find_config_name(std::string_view typed) {
  std::string name(typed);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& a : aliases) {
    if (a.typed == name) name = a.key;
  }
  for (const auto& n : names) {
    if (n.key == name) return &n;
  }
  return nullptr;
}

std::optional<ada_error> normalise_config_value(const config_name& name, std::string& value) {
  if (value.size() > max_config_value) return ada_error{ada_code::len_err, "value too long"};
  if (name.key == "server/region") {
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::toupper(c); });
    if (value != "CN" && value != "US") return ada_error{ada_code::invalid, "region"};
  } else if (name.key == "id/key") {
    value = without_whitespace(value);
    if (!ads_client::rsa_key::public_from_base64_body(value)) return ada_error{ada_code::invalid, "key"};
  }
  return std::nullopt;
}

}  // namespace apca
