#pragma once
// chunk_assembler: one value sent in parts, as AT+ADA does for long strings ("st" first part, "ss" following
// parts, "sn" last part). Used by `cs "id/key"`, `sign` and `s` with st/ss/sn.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "apca/result.hpp"

namespace apca {

enum class chunk_kind { first, middle, last };

// "st" / "ss" / "sn" (case-insensitive) -> the kind; anything else -> nullopt.
std::optional<chunk_kind> parse_chunk_kind(std::string_view word);

struct chunk_limits {
  std::size_t max_part = 0;      // 0: no per-part limit
  std::size_t max_total = 0;     // limit of the assembled value
  bool skip_whitespace = false;  // base64 bodies split over lines: spaces, tabs, CR, LF are not part of the value
};

class chunk_assembler {
 public:
  explicit chunk_assembler(chunk_limits limits) : limits_(limits) {}

  // Adds a part. Returns the whole value after the last part, an empty optional after first/middle parts, or
  // an error: 6 "invalid: chunk order" for ss/sn with no st before, 5 "len err: ..." when a limit is passed
  // (the parts so far are then dropped).
  result<std::optional<std::string>> add(chunk_kind kind, std::string_view part);
  void clear();
  bool in_progress() const { return in_progress_; }

 private:
  chunk_limits limits_;
  std::string value_;
  bool in_progress_ = false;
};

}  // namespace apca
