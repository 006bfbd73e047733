#pragma once
// Parsing of AT command argument lists: "a", 1,,"b\22c" -> values, with V.250/Ayla escapes in quoted strings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agent {

struct at_arg {
  std::string value;    // decoded: \22 -> ", \5C -> \, \hh -> that byte
  bool quoted = false;  // was a "string" (as opposed to a bare number/word or an empty position)
  bool operator==(const at_arg&) const = default;
};

// Returns nullopt when the text is malformed: an unterminated quote, a bad \hh escape, or text after a closing
// quote before the next comma. An empty text gives an empty list; "1,,3" gives three args, the middle one empty.
std::optional<std::vector<at_arg>> parse_at_args(std::string_view text);

// A decimal integer argument ("42", "-1"); nullopt for empty text, other characters or overflow.
std::optional<long> parse_at_number(std::string_view text);

}  // namespace agent
