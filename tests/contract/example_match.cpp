#include "tests/contract/example_match.hpp"

#include <regex>
#include <set>

namespace contract {

using nlohmann::json;

namespace {

// Markers of extract_examples.py: an unquoted placeholder ("\0<key>") and `...`.
constexpr char unquoted_mark = '\0';
const std::string rest_mark = std::string(1, '\0') + "...";

// The shape of a value the test cannot know (PROTOCOL.md, "How the examples are checked").
std::optional<std::string> shape_of(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> shapes = {
      {"<token>", "[0-9a-f]{32}"},
      {"<unix secs>", "[0-9]+"},
      {"<time>", R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z)"},
      {"<why>", ".+"},
      {"<provisioned DSN>", "AC000W[0-9]{9}"},
      {"<cmd id>", "[0-9]+"},
      // The app side (§6): fresh user tokens, times without fraction, a property's key.
      {"<new access token>", "[0-9a-f]{32}"},
      {"<new refresh token>", "[0-9a-f]{32}"},
      {"<app time>", R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)"},
      {"<property key>", "[0-9]+"},
      {"<regtoken>", "[0-9a-f]{6}"},
  };
  if (const auto found = shapes.find(name); found != shapes.end()) return found->second;
  if (name.rfind("<base64", 0) == 0) return "[A-Za-z0-9+/]+={0,2}";
  return std::nullopt;
}

std::string regex_escaped(std::string_view text) {
  static const std::set<char> special = {'.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\'};
  std::string out;
  for (char ch : text) {
    if (special.count(ch)) out += '\\';
    out += ch;
  }
  return out;
}

struct placeholder {
  std::size_t at;
  std::size_t size;
};

std::optional<placeholder> next_placeholder(std::string_view text, std::size_t from) {
  const auto open = text.find('<', from);
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = text.find('>', open);
  if (close == std::string_view::npos) return std::nullopt;
  return placeholder{open, close - open + 1};
}

}  // namespace

filled fill(std::string_view text, const placeholder_values& values) {
  filled out;
  std::size_t from = 0;
  while (const auto found = next_placeholder(text, from)) {
    out.text += text.substr(from, found->at - from);
    const auto name = text.substr(found->at, found->size);
    const auto value = values.known.find(name);
    if (value == values.known.end()) {
      out.error = "no value for the placeholder " + std::string(name);
      return out;
    }
    out.text += value->second;
    from = found->at + found->size;
  }
  out.text += text.substr(from);
  return out;
}

mismatch match_text(std::string_view pattern, std::string_view actual, placeholder_values& values) {
  // One regex: literal parts as they are, known placeholders as their values, the others as their shape.
  std::string regex;
  std::vector<std::string> groups;  // the placeholders captured, in order
  std::size_t from = 0;
  while (const auto found = next_placeholder(pattern, from)) {
    regex += regex_escaped(pattern.substr(from, found->at - from));
    const std::string name(pattern.substr(found->at, found->size));
    if (const auto known = values.known.find(name); known != values.known.end()) {
      regex += regex_escaped(known->second);
    } else if (const auto seen = values.seen.find(name); seen != values.seen.end()) {
      regex += regex_escaped(seen->second);
    } else if (const auto shape = shape_of(name)) {
      regex += "(" + *shape + ")";
      groups.push_back(name);
    } else {
      return "the placeholder " + name + " has no value and no known shape";
    }
    from = found->at + found->size;
  }
  regex += regex_escaped(pattern.substr(from));
  std::smatch match;
  const std::string subject(actual);
  if (!std::regex_match(subject, match, std::regex(regex)))
    return "expected \"" + std::string(pattern) + "\", got \"" + subject + "\"";
  for (std::size_t i = 0; i < groups.size(); ++i) values.seen.emplace(groups[i], match[i + 1].str());
  return std::nullopt;
}

mismatch match_json(const json& expected, const json& actual, placeholder_values& values, const std::string& where) {
  if (expected.is_string()) {
    const auto& text = expected.get_ref<const std::string&>();
    if (!text.empty() && text.front() == unquoted_mark) {
      if (actual.is_string()) return where + ": expected a " + text.substr(1) + " (not a string), got " + actual.dump();
      if (auto wrong = match_text(text.substr(1), actual.dump(), values)) return where + ": " + *wrong;
      return std::nullopt;
    }
    if (!actual.is_string()) return where + ": expected \"" + text + "\", got " + actual.dump();
    const auto& got = actual.get_ref<const std::string&>();
    // JSON text inside a string (a command's `data`) is compared as JSON: member order is no part of it.
    if (!text.empty() && text.front() == '{') {
      const json expected_inner = json::parse(text, nullptr, false);
      const json actual_inner = json::parse(got, nullptr, false);
      if (actual_inner.is_discarded()) return where + ": expected JSON text, got \"" + got + "\"";
      if (!expected_inner.is_discarded()) return match_json(expected_inner, actual_inner, values, where + " (text)");
    }
    if (auto wrong = match_text(text, got, values)) return where + ": " + *wrong;
    return std::nullopt;
  }
  if (expected.is_object()) {
    if (!actual.is_object()) return where + ": expected an object, got " + actual.dump();
    const bool open = expected.contains(rest_mark);
    for (const auto& [name, value] : expected.items()) {
      if (name == rest_mark) continue;
      if (!actual.contains(name)) return where + ": member \"" + name + "\" is missing from " + actual.dump();
      if (auto wrong = match_json(value, actual.at(name), values, where + "." + name)) return wrong;
    }
    if (!open)
      for (const auto& [name, value] : actual.items())
        if (!expected.contains(name)) return where + ": member \"" + name + "\" is not in the example";
    return std::nullopt;
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return where + ": expected a list, got " + actual.dump();
    if (expected.size() == 1 && expected[0] == rest_mark) return std::nullopt;
    if (expected.size() != actual.size())
      return where + ": expected " + std::to_string(expected.size()) + " items, got " + actual.dump();
    for (std::size_t i = 0; i < expected.size(); ++i)
      if (auto wrong = match_json(expected[i], actual[i], values, where + "[" + std::to_string(i) + "]")) return wrong;
    return std::nullopt;
  }
  if (expected != actual) return where + ": expected " + expected.dump() + ", got " + actual.dump();
  return std::nullopt;
}

}  // namespace contract
