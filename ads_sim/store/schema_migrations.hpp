#pragma once
// schema_migrations: the versions of an engine's schema, applied in order at start. Version N is the engine's
// migration list up to its Nth entry; the database records the version it reached (meta.schema_version), and a
// database newer than the binary's list is refused rather than written by code that does not know its tables.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ads_sim {

// The one-line refusal of a database whose schema is newer than this ads-sim knows.
std::string newer_schema_error(int found, int known);

// Applies `steps` after version `current` (0: an empty database), each by `apply(version, sql)`, which runs the
// step and records its version in one transaction. The error: a newer schema, or the step that failed.
std::optional<std::string> migrate(int current, std::span<const std::string_view> steps,
                                   const std::function<bool(int version, std::string_view sql)>& apply);

// Why a database at `found` is not current for a binary that knows `known` versions; nullopt when it is.
std::optional<std::string> schema_problem(int found, int known);

}  // namespace ads_sim
