#pragma once
// at_line_reader: the V.250 line discipline — finds "AT" command lines in the host's byte stream, applies
// backspace, recognises "A/" and over-long lines, and produces the echo. Sans-I/O, one byte at a time.
#include <cstddef>
#include <optional>
#include <string>

namespace agent {

// What ends or edits a line, and whether received bytes are echoed (ATE, S3, S5).
struct line_discipline {
  bool echo = true;
  char terminator = '\r';  // S3
  char backspace = '\b';   // S5
};

// A complete command line, found by the reader.
struct line_event {
  enum class kind {
    command_line,  // `text` is what followed "AT" (for "A/": the previous line's text)
    too_long,      // the line exceeded max_line_length and was discarded whole: answer ERROR
  };
  kind what = kind::command_line;
  std::string text;
};

class at_line_reader {
 public:
  // Longest accepted line, counting "AT" and not the terminator.
  static constexpr std::size_t max_line_length = 2048;

  // Consumes one byte from the host. Echo bytes (if any) are appended to `echo_out`. Returns an event when the
  // byte completed a command line.
  std::optional<line_event> push(char byte, const line_discipline& discipline, std::string& echo_out);

  // Drops a partially received line (the host went away). "A/" still repeats the last complete line.
  void drop_partial_line();

 private:
  enum class state {
    between_lines,  // waiting for 'A'
    after_a,        // saw 'A': 'T' starts a line, '/' repeats the last one
    in_line,        // collecting the text after "AT"
  };
  state state_ = state::between_lines;
  std::string text_;  // after "AT"
  bool overflowed_ = false;
  bool skip_lf_ = false;  // the previous byte ended a line: an LF now is its CR LF pair, not data
  std::string last_line_;
};

}  // namespace agent
