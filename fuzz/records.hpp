#pragma once
// The harnesses' input format: records separated by the byte 0x1D (ASCII group separator), so a seed is readable
// text (a host transcript with a few markers) and the fuzzer can still reach every byte value inside a record.
#include <string_view>
#include <vector>

namespace fuzz {

inline constexpr char record_separator = '\x1d';

inline std::vector<std::string_view> split_records(std::string_view input) {
  std::vector<std::string_view> records;
  for (;;) {
    const auto end = input.find(record_separator);
    records.push_back(input.substr(0, end));
    if (end == std::string_view::npos) return records;
    input.remove_prefix(end + 1);
  }
}

// "42" -> 42, with a default for anything that is not a small decimal number.
inline unsigned small_number(std::string_view text, unsigned fallback) {
  if (text.empty() || text.size() > 6) return fallback;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return fallback;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace fuzz
