#include "apca/chunk_assembler.hpp"

#include <algorithm>
#include <cctype>

namespace apca {

std::optional<chunk_kind> parse_chunk_kind(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "st") return chunk_kind::first;
  if (lower == "ss") return chunk_kind::middle;
  if (lower == "sn") return chunk_kind::last;
  return std::nullopt;
}

result<std::optional<std::string>> chunk_assembler::add(chunk_kind kind, std::string_view part) {
  if (kind == chunk_kind::first) {
    value_.clear();
    in_progress_ = true;
  } else if (!in_progress_) {
    return make_error(ada_code::invalid, "chunk order");
  }
  std::string cleaned;
  for (char c : part) {
    if (limits_.skip_whitespace && std::isspace(static_cast<unsigned char>(c))) continue;
    cleaned += c;
  }
  if ((limits_.max_part != 0 && cleaned.size() > limits_.max_part) ||
      value_.size() + cleaned.size() > limits_.max_total) {
    clear();
    return make_error(ada_code::len_err, "value too long");
  }
  value_ += cleaned;
  if (kind != chunk_kind::last) return std::optional<std::string>();
  std::string whole = std::move(value_);
  clear();
  return std::optional<std::string>(std::move(whole));
}

void chunk_assembler::clear() {
  // The parts may be a private key: don't leave them in freed memory longer than needed.
  std::fill(value_.begin(), value_.end(), '\0');
  value_.clear();
  in_progress_ = false;
}

}  // namespace apca
