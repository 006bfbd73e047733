#pragma once
// file_store: the NV image as files in the state directory, written atomically and durably (temp file, fsync,
// rename, fsync of the folder), mode 0600, with a checksum. Blocking: the runtime calls it off the event loop.
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "config_store/nv_image.hpp"

namespace config_store {

struct load_result {
  enum class source {
    fresh,      // nothing stored yet: an empty image
    stored,     // the newest copy was good
    recovered,  // the newest copy was torn or corrupt; the last good copy was used
    unusable,   // copies are stored and none decodes: not something a crash leaves, so nothing may overwrite them
  };
  nv_image image;
  source from = source::fresh;
  std::string detail;  // why a copy was rejected, for the log (never any value)
};

class file_store {
 public:
  // Creates the folder (and any missing parent) mode 0700, and checks that it is a folder it can write in and
  // that the slots, where present, are regular files. The error is the one-line reason the folder cannot be used.
  static common::outcome<file_store> open(std::filesystem::path dir);

  load_result load() const;
  // Durable when it returns true; on false the previously stored image is still intact.
  bool save(const nv_image& image);

 private:
  explicit file_store(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

}  // namespace config_store
