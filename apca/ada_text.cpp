#include "apca/ada_text.hpp"

#include <cstdio>

namespace apca {

std::string_view ada_code_word(ada_code code) {
  switch (code) {
    case ada_code::missing: return "missing";
    case ada_code::busy: return "busy";
    case ada_code::unknown: return "unknown";
    case ada_code::usage: return "usage";
    case ada_code::len_err: return "len err";
    case ada_code::invalid: return "invalid";
    case ada_code::err: return "err";
    case ada_code::not_supported: return "not supported";
    case ada_code::cmd_id: return "cmd id";
  }
  return "err";
}

std::string ada_error_line(std::string_view sub, const ada_error& error) {
  std::string line = "+ADA: " + quote_at_string(sub) + ",\"err\"," + std::to_string(static_cast<int>(error.code)) + ",";
  std::string text(ada_code_word(error.code));
  text += ": ";
  text += error.explanation;
  return line + quote_at_string(text);
}

std::string quote_at_string(std::string_view value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7F) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "\\%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace apca
