#include "scenario/world_words.hpp"

namespace scenario {

outcome<std::vector<std::string>> world_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;  // "" is an empty word, still a word
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) return failure{"unterminated quote in '" + line + "'"};
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace scenario
