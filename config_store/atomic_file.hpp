#pragma once
// atomic_file: replaces a file's content so a crash leaves either the old or the new content, never a mix — the
// one writer of state files (NV slots, ads-sim's token, keys and certificates).
#include <filesystem>
#include <string_view>
#include <system_error>

namespace config_store {

// Writes `content` to FILE.tmp (created with `mode`, umask ignored), fsyncs it, renames it over `file` and fsyncs
// the folder, so the new content is durable when it returns success. On failure the old file is untouched and
// the temp file removed; the error says which step failed (errno).
[[nodiscard]] std::error_code write_file_atomically(const std::filesystem::path& file, std::string_view content,
                                                    unsigned mode = 0600);

}  // namespace config_store
