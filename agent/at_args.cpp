#include "agent/at_args.hpp"

#include <charconv>

namespace agent {
namespace {

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Decodes the quoted string starting at text[pos] == '"'. On success `pos` is just past the closing quote.
std::optional<std::string> parse_quoted(std::string_view text, std::size_t& pos) {
  std::string value;
  ++pos;  // opening quote
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '"') {
      ++pos;
      return value;
    }
    if (c == '\\') {
      // \hh: exactly two hex digits name one byte (\22 is ", \5C is \).
      if (pos + 2 >= text.size()) return std::nullopt;
      int high = hex_digit_value(text[pos + 1]);
      int low = hex_digit_value(text[pos + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      value += static_cast<char>(high * 16 + low);
      pos += 3;
      continue;
    }
    value += c;
    ++pos;
  }
  return std::nullopt;  // unterminated
}

}  // namespace

std::optional<std::vector<at_arg>> parse_at_args(std::string_view text) {
  std::vector<at_arg> args;
  if (text.empty()) return args;
  std::size_t pos = 0;
  for (;;) {
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    at_arg arg;
    if (pos < text.size() && text[pos] == '"') {
      auto value = parse_quoted(text, pos);
      if (!value) return std::nullopt;
      arg.value = std::move(*value);
      arg.quoted = true;
      while (pos < text.size() && is_blank(text[pos])) ++pos;
    } else {
      while (pos < text.size() && text[pos] != ',') {
        if (text[pos] == '"') return std::nullopt;  // a quote inside a bare token
        if (!is_blank(text[pos])) arg.value += text[pos];
        ++pos;
      }
    }
    args.push_back(std::move(arg));
    if (pos == text.size()) return args;
    if (text[pos] != ',') return std::nullopt;  // text after a closing quote
    ++pos;
  }
}

std::optional<long> parse_at_number(std::string_view text) {
  long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace agent
