#include "control/readable_answer.hpp"

#include <algorithm>
#include <string_view>

namespace sim7600_control {
namespace {

using json = nlohmann::json;

// A key's unit suffix, written after the value for a person: "latency_ms": 200 reads "latency 200 ms".
struct unit_suffix {
  std::string_view key_end;
  std::string_view unit;
};
constexpr unit_suffix unit_suffixes[] = {{"_ms", " ms"}, {"_mv", " mV"}, {"_c", " °C"}, {"_m", " m"}};

const unit_suffix* unit_of(const std::string& key) {
  for (const auto& suffix : unit_suffixes)
    if (key.size() > suffix.key_end.size() && key.ends_with(suffix.key_end)) return &suffix;
  return nullptr;
}

// "data_call" -> "data call": keys are written for scripts, labels for people.
std::string label_of(const std::string& key) {
  const unit_suffix* unit = unit_of(key);
  std::string label = unit ? key.substr(0, key.size() - unit->key_end.size()) : key;
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::string scalar_text(const json& value);

std::string value_text(const std::string& key, const json& value) {
  const unit_suffix* unit = unit_of(key);
  return scalar_text(value) + (unit && value.is_number() ? std::string(unit->unit) : "");
}

std::string scalar_text(const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_string()) return value.get<std::string>().empty() ? "-" : value.get<std::string>();
  if (value.is_null()) return "-";
  return value.dump();
}

bool all_scalars(const json& object) {
  return std::all_of(object.begin(), object.end(), [](const json& v) { return v.is_primitive(); });
}

// A small object of scalars reads best on one line: "rssi 20, ber 99".
std::string inline_text(const json& object) {
  std::string text;
  for (const auto& [key, value] : object.items()) {
    text += (text.empty() ? "" : ", ") + label_of(key) + " " + value_text(key, value);
  }
  return text.empty() ? "-" : text;
}

constexpr std::size_t max_inline = 4;

void write_block(const json& object, const std::string& indent, std::string& out);

void write_value(const std::string& key, const json& value, std::size_t width, const std::string& indent,
                 std::string& out) {
  const std::string label = label_of(key);
  const std::string padded = indent + label + std::string(width - label.size() + 2, ' ');
  if (value.is_object() && (value.empty() || (all_scalars(value) && value.size() <= max_inline))) {
    out += padded + inline_text(value) + "\n";
  } else if (value.is_object()) {
    out += indent + label + "\n";
    write_block(value, indent + "  ", out);
  } else if (value.is_array()) {
    out += padded + (value.empty() ? "none" : std::to_string(value.size())) + "\n";
    for (const auto& item : value) {
      out += indent + "  - " + (item.is_object() ? inline_text(item) : scalar_text(item)) + "\n";
    }
  } else {
    out += padded + value_text(key, value) + "\n";
  }
}

void write_block(const json& object, const std::string& indent, std::string& out) {
  std::size_t width = 0;
  for (const auto& [key, value] : object.items()) width = std::max(width, label_of(key).size());
  for (const auto& [key, value] : object.items()) write_value(key, value, width, indent, out);
}

std::string sms_list(const json& sent) {
  if (!sent.is_array() || sent.empty()) return "no SMS sent\n";
  std::string text = std::to_string(sent.size()) + " SMS sent\n";
  for (const auto& sms : sent) {
    text += "  to " + scalar_text(sms.value("to", json())) + ": " + scalar_text(sms.value("text", json())) + "\n";
  }
  return text;
}

}  // namespace

std::string readable_answer(const control_request& request, const json& answer) {
  if (request.target == "/v1/sms" && request.body.value("action", "") == "sent") {
    return sms_list(answer.value("sent", json::array()));
  }
  if (!answer.is_object()) return scalar_text(answer) + "\n";
  std::string out;
  write_block(answer, "", out);
  return out;
}

}  // namespace sim7600_control
