#include "ads_sim/store/schema_migrations.hpp"

namespace ads_sim {

std::string newer_schema_error(int found, int known) {
  return "database schema version " + std::to_string(found) + " is newer than this ads-sim knows (" +
         std::to_string(known) + "): run a newer ads-sim";
}

std::optional<std::string> migrate(int current, std::span<const std::string_view> steps,
                                   const std::function<bool(int version, std::string_view sql)>& apply) {
  const int known = static_cast<int>(steps.size());
  if (current > known) return newer_schema_error(current, known);
  for (int version = current + 1; version <= known; ++version)
    if (!apply(version, steps[static_cast<std::size_t>(version - 1)]))
      return "schema migration to version " + std::to_string(version) + " failed";
  return std::nullopt;
}

std::optional<std::string> schema_problem(int found, int known) {
  if (found > known) return newer_schema_error(found, known);
  if (found < known)
    return "database schema version " + std::to_string(found) + " is older than " + std::to_string(known);
  return std::nullopt;
}

}  // namespace ads_sim
