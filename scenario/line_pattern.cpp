#include "scenario/line_pattern.hpp"

#include <cctype>

namespace scenario {

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The name of a placeholder starting at `text[at] == '{'`, or "" when what follows is not one.
std::string_view placeholder_at(std::string_view text, std::size_t at) {
  std::size_t end = at + 1;
  if (end >= text.size() || !is_name_start(text[end])) return {};
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (end >= text.size() || text[end] != '}') return {};
  return text.substr(at + 1, end - at - 1);
}

std::string regex_escaped(std::string_view literal) {
  static const std::string special = R"(\^$.|?*+()[]{}/)";
  std::string out;
  for (char c : literal) {
    if (special.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::vector<text_piece> split_placeholders(std::string_view text) {
  std::vector<text_piece> pieces;
  std::string literal;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const std::string_view name = text[at] == '{' ? placeholder_at(text, at) : std::string_view{};
    if (name.empty()) {
      literal += text[at];
      continue;
    }
    if (!literal.empty()) pieces.push_back({false, std::move(literal)});
    literal.clear();
    pieces.push_back({true, std::string(name)});
    at += name.size() + 1;
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal)});
  return pieces;
}

outcome<std::string> substitute(std::string_view text, const variables& known) {
  std::string out;
  for (const auto& piece : split_placeholders(text)) {
    if (!piece.is_placeholder) {
      out += piece.text;
      continue;
    }
    const auto value = known.find(piece.text);
    if (value == known.end()) return failure{"{" + piece.text + "} has no value yet (capture it from a line first)"};
    out += value->second;
  }
  return out;
}

outcome<line_pattern> line_pattern::compile(std::string_view written, const variables& known) {
  line_pattern pattern;
  if (written.size() >= 2 && written.front() == '/' && written.back() == '/') {
    // A set {name} stands for its value, taken literally; quantifiers such as {3} or {2,5} are not names.
    std::string regex;
    for (const auto& piece : split_placeholders(written.substr(1, written.size() - 2))) {
      if (!piece.is_placeholder) {
        regex += piece.text;
      } else if (const auto value = known.find(piece.text); value != known.end()) {
        regex += regex_escaped(value->second);
      } else {
        return failure{"{" + piece.text + "} in " + std::string(written) + " has no value yet (a regular expression "
                       "captures nothing: capture it with a plain pattern first)"};
      }
    }
    try {
      pattern.regex_ = std::regex(regex, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      return failure{"bad regular expression " + std::string(written) + ": " + error.what()};
    }
    return pattern;
  }
  std::string regex;
  for (const auto& piece : split_placeholders(written)) {
    if (!piece.is_placeholder) {
      regex += regex_escaped(piece.text);
    } else if (const auto value = known.find(piece.text); value != known.end()) {
      regex += regex_escaped(value->second);
    } else {
      regex += "(.*?)";
      pattern.captured_names_.push_back(piece.text);
    }
  }
  pattern.regex_ = std::regex(regex, std::regex::ECMAScript);
  return pattern;
}

std::optional<variables> line_pattern::match(const std::string& line) const {
  std::smatch found;
  if (!std::regex_match(line, found, regex_)) return std::nullopt;
  variables captured;
  for (std::size_t i = 0; i < captured_names_.size(); ++i) {
    // A name used twice in one line must capture the same text both times.
    const std::string& name = captured_names_[i];
    if (name == "_") continue;
    const auto [at, fresh] = captured.emplace(name, found[i + 1].str());
    if (!fresh && at->second != found[i + 1].str()) return std::nullopt;
  }
  return captured;
}

}  // namespace scenario
