#pragma once
// What a line from the module is expected to be, and the variables it captures.
//   OK                              the line, exactly
//   +ADA: "cg","id/dev_id","{dsn}"  {dsn} unset: captures what is there; set: must be its value
//   +ADA: "status",{_}              {_}: anything, not kept
//   /\+CSQ: \d+,99/                 a regular expression (ECMAScript) the whole line matches; a set {name} in it
//                                   stands for its value, literally
// `{` not followed by a name and `}` is an ordinary character, so JSON in a line needs no escaping.
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/outcome.hpp"

namespace scenario {

using variables = std::map<std::string, std::string>;

// A text cut at its {name} placeholders.
struct text_piece {
  bool is_placeholder = false;
  std::string text;  // the literal text, or the placeholder's name
};
std::vector<text_piece> split_placeholders(std::string_view text);

// `text` with each {name} replaced by its value; a name with no value is an error naming it.
outcome<std::string> substitute(std::string_view text, const variables& known);

class line_pattern {
 public:
  // The pattern as written, with the variables known when the step runs.
  static outcome<line_pattern> compile(std::string_view written, const variables& known);
  // The newly captured variables if `line` matches as a whole.
  std::optional<variables> match(const std::string& line) const;

 private:
  std::regex regex_;
  std::vector<std::string> captured_names_;  // one per capture group, in order ("_": not kept)
};

}  // namespace scenario
