#pragma once
// file_system: the module's flash drive C: (AT Command Manual, "AT Commands for File System"): folders and files
// kept in the NV image under "fs/", so they survive a restart. Pure: it reads the NV image it is given and answers
// the NV changes a write needs; the caller stores them, and a failed save leaves the image (and so the drive) as
// it was.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "config_store/nv_image.hpp"

namespace agent {

// Keys to set (a value) or erase (nullopt) in the NV image.
using nv_changes = std::map<std::string, std::optional<std::string>>;

enum class fs_error {
  bad_name,        // a character the manual forbids, a name starting or ending wrongly, a path too long
  no_such_drive,   // D: (SD card), E:, F: are not fitted on this module; only C: is
  not_found,       // no such file or folder (or the parent folder of a new one)
  exists,          // AT+FSMKDIR of a name already taken
  not_empty,       // AT+FSRMDIR of a folder that still holds something
  full,            // the drive's bounds (total bytes, entries) would be passed
};

// A folder's children, names only, sorted.
struct fs_listing {
  std::vector<std::string> folders;
  std::vector<std::string> files;
};

class file_system {
 public:
  // The drive's bounds (the emulator's own: the manual gives the real flash's size per model).
  static constexpr std::size_t max_total_bytes = 256 * 1024;  // all files together
  static constexpr std::size_t max_entries = 64;              // files and folders together
  static constexpr std::size_t max_path = 254;                // a fully qualified name ("C:/a/b.txt")
  static constexpr std::string_view root = "C:/";

  explicit file_system(const config_store::nv_image& nv) : nv_(nv) {}

  // The fully qualified name ("C:/a/b.txt", "C:/" for the root) of `name`: absolute ("C:/a", "c:a") or relative
  // to the folder `current` (itself fully qualified); "." and ".." step as usual, never above C:/.
  common::result<std::string, fs_error> resolve(std::string_view current, std::string_view name) const;

  bool is_folder(const std::string& path) const;
  std::optional<std::string> read(const std::string& path) const;
  fs_listing list(const std::string& folder) const;
  std::size_t used_bytes() const;
  std::size_t entries() const;

  // Whether a file of `size` bytes may be written at `path` (fully qualified): before AT+CFTRANRX's prompt.
  std::optional<fs_error> refuses_write(const std::string& path, std::size_t size) const;
  // Each answers the NV changes that make it so (and checks the bounds); `path` fully qualified.
  common::result<nv_changes, fs_error> write(const std::string& path, std::string bytes) const;
  common::result<nv_changes, fs_error> remove_file(const std::string& path) const;
  common::result<nv_changes, fs_error> make_folder(const std::string& path) const;
  common::result<nv_changes, fs_error> remove_folder(const std::string& path) const;

 private:
  bool parent_exists(const std::string& path) const;

  const config_store::nv_image& nv_;
};

}  // namespace agent
