#pragma once
// ada_wire: the AT+ADA text as a host writes and reads it — command lines with quoted arguments, and the fields of
// a `+ADA: ...` line the module prints (SPEC §3), decoded from its V.250 quoting by the module's own argument parser.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fleet {

// `AT+ADA="ota","dl","module","idm7"` from {"ota", "dl", "module", "idm7"}, then `tail` as is (",12800").
std::string ada_command(const std::vector<std::string_view>& quoted, std::string_view tail = {});

// The decoded fields of a `+ADA: "s","Blue_LED","status",0` line: {"s", "Blue_LED", "status", "0"}. Nullopt for
// any other line and for one whose arguments do not parse. (The version line, `+ADA: APCA-1.0 ADA-2.4.1 ...`, is one
// bare field with its blanks dropped: it names no answer a host acts on.)
std::optional<std::vector<std::string>> ada_fields(std::string_view line);

// Field `index` of such a line, or "" when the line is shorter.
inline std::string_view ada_field(const std::vector<std::string>& fields, std::size_t index) {
  return index < fields.size() ? std::string_view(fields[index]) : std::string_view{};
}

}  // namespace fleet
