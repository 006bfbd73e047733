#pragma once
// Reading PROTOCOL.md's examples: placeholders filled with a test's values in requests, and answers compared with
// what the example shows (placeholders the test knows are those values, the others are checked for their shape).
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace contract {

// What one example's placeholders stand for ("<key>" -> "12"), and what an answer's unknown ones turned out to be:
// the same placeholder twice in one answer must be the same value.
struct placeholder_values {
  std::map<std::string, std::string, std::less<>> known;
  std::map<std::string, std::string, std::less<>> seen;

  void set(const std::string& name, std::string value) { known[name] = std::move(value); }
};

// `text` with every placeholder replaced by its known value; an unknown one is an error naming it.
struct filled {
  std::string text;
  std::string error;  // "" when every placeholder was known
};
filled fill(std::string_view text, const placeholder_values& values);

// A mismatch, said as "<where>: <expected> vs <actual>"; nullopt when `actual` matches.
using mismatch = std::optional<std::string>;

// `pattern` is literal text with placeholders (a header value, a string in the JSON, a target).
mismatch match_text(std::string_view pattern, std::string_view actual, placeholder_values& values);
// `expected`: an example's answer as protocol_example::response_body encodes it.
mismatch match_json(const nlohmann::json& expected, const nlohmann::json& actual, placeholder_values& values,
                    const std::string& where = "body");

}  // namespace contract
