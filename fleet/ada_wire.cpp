#include "fleet/ada_wire.hpp"

#include "agent/at_args.hpp"
#include "apca/ada_text.hpp"

namespace fleet {

std::string ada_command(const std::vector<std::string_view>& quoted, std::string_view tail) {
  std::string line = "AT+ADA=";
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (i != 0) line += ',';
    line += apca::quote_at_string(quoted[i]);
  }
  line += tail;
  return line;
}

std::optional<std::vector<std::string>> ada_fields(std::string_view line) {
  constexpr std::string_view prefix = "+ADA:";
  if (!line.starts_with(prefix)) return std::nullopt;
  auto args = agent::parse_at_args(line.substr(prefix.size()));
  if (!args || args->empty()) return std::nullopt;
  std::vector<std::string> fields;
  fields.reserve(args->size());
  for (auto& arg : *args) fields.push_back(std::move(arg.value));
  return fields;
}

}  // namespace fleet
