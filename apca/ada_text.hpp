#pragma once
// How the module prints +ADA answers: quoted strings with V.250 escapes, and the error line format.
#include <string>
#include <string_view>

namespace apca {

// The AT+ADA error codes (note §3.2 and SPEC §3).
enum class ada_code {
  missing = 1, busy = 2, unknown = 3, usage = 4, len_err = 5, invalid = 6, err = 7, not_supported = 8, cmd_id = 9
};

struct ada_error {
  ada_code code;
  std::string explanation;  // "config name" in "not supported: config name"
};

// "missing", "busy", ..., "cmd id".
std::string_view ada_code_word(ada_code code);

// `+ADA: "<sub>","err",<code>,"<word>: <explanation>"`.
std::string ada_error_line(std::string_view sub, const ada_error& error);

// Quote `value` as the module prints strings: "..." with \22 for ", \5C for \, and \hh for bytes below 0x20,
// 0x7F and above.
std::string quote_at_string(std::string_view value);

}  // namespace apca
