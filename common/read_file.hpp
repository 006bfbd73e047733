#pragma once
// read_file: a whole file's bytes, the one reader of small files (tokens, URLs, PEM material, logs).
#include <filesystem>
#include <optional>
#include <string>

namespace common {

// The file's content, or nothing when it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path& file);

}  // namespace common
