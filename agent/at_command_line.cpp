#include "agent/at_command_line.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace agent {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

// Characters V.250 allows in an extended command name after the prefix.
bool is_name_char(char c) {
  return is_letter(c) || is_digit(c) || c == '!' || c == '%' || c == '-' || c == '.' || c == '/' || c == ':' ||
         c == '_';
}

struct compacted_text {
  std::string text;                          // spaces outside quotes removed
  std::size_t bad_at = std::string::npos;    // first byte that cannot be there, or an unterminated quote
};

// Removes spaces outside quotes and finds where the line stops being valid: a control byte, NUL or a byte
// >= 0x7F outside quotes, or the opening quote of an unterminated string.
compacted_text compact(std::string_view text) {
  compacted_text out;
  bool in_quotes = false;
  std::size_t quote_start = 0;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"') {
      in_quotes = !in_quotes;
      if (in_quotes) quote_start = out.text.size();
    } else if (!in_quotes) {
      if (c == ' ') continue;
      if ((c < 0x20 || c >= 0x7F) && out.bad_at == std::string::npos) out.bad_at = out.text.size();
    }
    out.text += ch;
  }
  if (in_quotes && quote_start < out.bad_at) out.bad_at = quote_start;
  return out;
}

class splitter {
 public:
  explicit splitter(std::string_view text) : text_(text) {}

  // Commands that end after `valid_length` are malformed; those before it still run.
  command_line run(std::size_t valid_length) {
    command_line result;
    while (pos_ < text_.size()) {
      if (text_[pos_] == ';') {  // separator, also allowed after basic commands
        ++pos_;
        continue;
      }
      auto command = next();
      if (!command || pos_ > valid_length) {
        result.malformed = true;
        return result;
      }
      result.commands.push_back(std::move(*command));
    }
    return result;
  }

 private:
  std::optional<at_command> next() {
    char c = text_[pos_];
    if (c == '+' || c == '$' || c == '^') return extended();
    if (c == '&') return basic(2);
    if (upper(c) == 'S' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])) return s_register();
    if (upper(c) == 'D') return dial();
    if (is_letter(c)) return basic(1);
    return std::nullopt;
  }

  // +NAME, +NAME?, +NAME=?, +NAME=<args up to ';' outside quotes>
  std::optional<at_command> extended() {
    at_command command;
    command.name += text_[pos_++];
    while (pos_ < text_.size() && is_name_char(text_[pos_])) command.name += upper(text_[pos_++]);
    if (command.name.size() == 1) return std::nullopt;
    if (at("=?")) {
      command.kind = at_command::form::test;
      pos_ += 2;
    } else if (at("?")) {
      command.kind = at_command::form::read;
      pos_ += 1;
    } else if (at("=")) {
      command.kind = at_command::form::set;
      ++pos_;
      bool in_quotes = false;
      while (pos_ < text_.size() && (in_quotes || text_[pos_] != ';')) {
        if (text_[pos_] == '"') in_quotes = !in_quotes;
        command.args += text_[pos_++];
      }
    }
    // An extended command ends the line or is followed by ';'.
    if (pos_ < text_.size() && text_[pos_] != ';') return std::nullopt;
    return command;
  }

  // E0, V1, I, Z, &F, &W0: a letter (or '&' and a letter) and optional digits.
  std::optional<at_command> basic(std::size_t name_length) {
    at_command command;
    for (std::size_t i = 0; i < name_length; ++i) {
      if (pos_ >= text_.size()) return std::nullopt;
      char c = text_[pos_++];
      if (i + 1 == name_length && !is_letter(c)) return std::nullopt;
      command.name += upper(c);
    }
    while (pos_ < text_.size() && is_digit(text_[pos_])) command.args += text_[pos_++];
    return command;
  }

  // D<dial string>[;]: the dial string runs to the ';' that makes it a voice call (kept at the end of args) or
  // to the end of the line (V.250 §6.3.1).
  at_command dial() {
    at_command command;
    command.name = "D";
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != ';') command.args += text_[pos_++];
    if (pos_ < text_.size()) {
      command.args += ';';
      ++pos_;
    }
    return command;
  }

  // S3?, S3=13, S3
  std::optional<at_command> s_register() {
    at_command command;
    command.name += 'S';
    ++pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) command.name += text_[pos_++];
    if (at("=?")) {
      command.kind = at_command::form::test;
      pos_ += 2;
    } else if (at("?")) {
      command.kind = at_command::form::read;
      ++pos_;
    } else if (at("=")) {
      command.kind = at_command::form::set;
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) command.args += text_[pos_++];
    }
    return command;
  }

  bool at(std::string_view token) const { return text_.substr(pos_, token.size()) == token; }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

command_line split_command_line(std::string_view text) {
  compacted_text compacted = compact(text);
  return splitter(compacted.text).run(compacted.bad_at);
}

}  // namespace agent
