#include "agent/at_line_reader.hpp"

namespace agent {
namespace {

bool is_a(char c) { return c == 'A' || c == 'a'; }
bool is_t(char c) { return c == 'T' || c == 't'; }

}  // namespace

std::optional<line_event> at_line_reader::push(char byte, const line_discipline& discipline,
                                               std::string& echo_out) {
  bool follows_line_end = skip_lf_;
  skip_lf_ = false;
  if (byte == '\n' && follows_line_end && state_ == state::between_lines) return std::nullopt;

  // A real modem echoes every byte it receives in command state, byte for byte, edits included.
  if (discipline.echo) echo_out += byte;

  switch (state_) {
    case state::between_lines:
      if (is_a(byte)) state_ = state::after_a;
      return std::nullopt;

    case state::after_a:
      if (is_t(byte)) {
        state_ = state::in_line;
        text_.clear();
        overflowed_ = false;
      } else if (byte == '/') {
        state_ = state::between_lines;
        return line_event{line_event::kind::command_line, last_line_};
      } else if (byte == discipline.backspace) {
        state_ = state::between_lines;
      } else if (!is_a(byte)) {
        state_ = state::between_lines;
      }
      return std::nullopt;

    case state::in_line:
      if (byte == discipline.terminator) {
        state_ = state::between_lines;
        skip_lf_ = true;
        if (overflowed_) {
          text_.clear();
          return line_event{line_event::kind::too_long, {}};
        }
        last_line_ = text_;
        return line_event{line_event::kind::command_line, std::move(text_)};
      }
      if (overflowed_) return std::nullopt;  // keep swallowing until the terminator
      if (byte == discipline.backspace) {
        if (text_.empty()) {
          state_ = state::after_a;  // the backspace took the 'T' back
        } else {
          text_.pop_back();
        }
        return std::nullopt;
      }
      if (text_.size() + 2 >= max_line_length) {
        overflowed_ = true;
        text_.clear();
        text_.shrink_to_fit();
        return std::nullopt;
      }
      text_ += byte;
      return std::nullopt;
  }
  return std::nullopt;
}

void at_line_reader::drop_partial_line() {
  state_ = state::between_lines;
  text_.clear();
  overflowed_ = false;
  skip_lf_ = false;
}

}  // namespace agent
