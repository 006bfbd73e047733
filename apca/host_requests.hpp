#pragma once
// The host's cloud requests (enable, disable, listen, s, g, ota) after the AT+ADA table has parsed and validated
// them: what apca::service acts on. Also the property type letters and value checks they share.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "apca/chunk_assembler.hpp"
#include "apca/result.hpp"

namespace apca {

enum class property_type { boolean, integer, decimal, string };

// "b" "i" "d" "s" -> the type; "st"/"ss"/"sn" -> string with that chunk kind; "m" -> metadata. Case-insensitive.
struct property_type_word {
  std::optional<property_type> type;  // empty for "m"
  std::optional<chunk_kind> chunk;    // st / ss / sn
  bool metadata = false;
};
std::optional<property_type_word> parse_property_type(std::string_view letter);

// The one-letter form the module prints ("b", "i", "d", "s").
std::string_view property_type_letter(property_type type);

inline constexpr std::size_t max_property_value = 1024;  // a whole value (st/ss/sn assembled, too)
inline constexpr std::size_t max_property_part = 90;     // one st/ss/sn part

// 6 "invalid: value" unless `value` is a valid b (0/1), i (32-bit signed) or d (decimal) value; 5 when too long.
std::optional<ada_error> check_property_value(property_type type, std::string_view value);

// AT+ADA="s","<name>","<type>","<value>" or "s","<name>","m","<key>","<value>".
struct property_send {
  std::string name;
  property_type_word type;
  std::string value;         // the value, one part of it (st/ss/sn), or the metadata value
  std::string metadata_key;  // with type m
};

// AT+ADA="g","<name>".
struct property_get {
  std::string name;
};

// AT+ADA="l" / "L" / "I" / "i": answers echo the letter as typed.
struct listen_request {
  std::string as_typed;
};

// AT+ADA="disable"[,<secs>].
struct disable_request {
  std::optional<std::int64_t> rewake_seconds;
};

// AT+ADA="ota",<op>,"host"|"module","<id>"[,<number>].
struct ota_request {
  enum class operation { download, apply, mcu_mode, status };
  enum class image { host, module };
  operation op = operation::download;
  image target = image::host;
  std::string id;
  std::optional<std::int64_t> number;  // dl: window length; mcu_mode: 0/1; status: 0 or the host's error
};

}  // namespace apca
