#include "config_store/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

#include "config_store/atomic_file.hpp"
#include "config_store/nv_codec.hpp"

namespace config_store {
namespace {

// Two copies: each save overwrites the older one, so a crash mid-save always leaves the newer one intact.
constexpr std::array<const char*, 2> slot_names = {"nv-a.bin", "nv-b.bin"};

struct slot_state {
  bool exists = false;
  std::optional<decoded_nv> copy;  // set when the slot decodes
  decode_error error = decode_error::malformed;
};

slot_state read_slot(const std::filesystem::path& path) {
  slot_state state;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return state;
  state.exists = true;
  std::ifstream in(path, std::ios::binary);
  if (!in || !std::filesystem::is_regular_file(path, ec)) return state;  // rejected: not a copy we wrote
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = decode_nv(bytes);
  if (decoded)
    state.copy = std::move(decoded).value();
  else
    state.error = decoded.error();
  return state;
}

// mkdir -p, each folder it makes owner-only: the state dir holds secrets (oem/secret, keys).
common::outcome<common::done> create_owner_only(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return common::done{};
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    if (auto made = create_owner_only(dir.parent_path()); !made) return made;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return common::failure{"cannot create " + dir.string() + ": " + std::strerror(errno)};
  if (::chmod(dir.c_str(), 0700) != 0)
    return common::failure{"cannot make " + dir.string() + " owner-only: " + std::strerror(errno)};
  return common::done{};
}

// The kernel's answer to "may this process create files here" (as root it always may).
common::outcome<common::done> check_writable(const std::filesystem::path& dir) {
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return common::failure{"cannot write in " + dir.string() + ": " + std::strerror(errno)};
  return common::done{};
}

}  // namespace

common::outcome<file_store> file_store::open(std::filesystem::path dir) {
  if (dir.empty()) return common::failure{"no state dir given"};
  if (auto made = create_owner_only(dir); !made) return made.error();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return common::failure{dir.string() + " is not a directory"};
  if (auto writable = check_writable(dir); !writable) return writable.error();
  for (const char* name : slot_names) {
    for (const auto& path : {dir / name, dir / (std::string(name) + ".tmp")}) {
      const auto status = std::filesystem::symlink_status(path, ec);
      if (status.type() != std::filesystem::file_type::not_found && status.type() != std::filesystem::file_type::regular)
        return common::failure{path.string() + " is not a regular file"};
    }
    if (::access((dir / name).c_str(), F_OK) == 0 && ::access((dir / name).c_str(), R_OK | W_OK) != 0)
      return common::failure{"cannot read and write " + (dir / name).string() + ": " + std::strerror(errno)};
  }
  return file_store(std::move(dir));
}

load_result file_store::load() const {
  load_result result;
  const slot_state* best = nullptr;
  std::array<slot_state, 2> slots;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    slots[i] = read_slot(dir_ / slot_names[i]);
    if (slots[i].exists && !slots[i].copy) {
      if (!result.detail.empty()) result.detail += "; ";
      result.detail += std::string(slot_names[i]) + ": " + std::string(describe(slots[i].error));
    }
    if (slots[i].copy && (!best || slots[i].copy->generation > best->copy->generation)) best = &slots[i];
  }
  if (!best) {
    // Nothing stored: the module starts from an empty image. Copies stored and all rejected: say so, touch nothing.
    result.from = result.detail.empty() ? load_result::source::fresh : load_result::source::unusable;
    return result;
  }
  result.image = best->copy->image;
  // A rejected copy cannot tell its generation; it may have been the newest, so say so.
  result.from = result.detail.empty() ? load_result::source::stored : load_result::source::recovered;
  return result;
}

bool file_store::save(const nv_image& image) {
  // Overwrite the slot holding the older (or no valid) copy; the new generation follows the newest valid one.
  std::array<slot_state, 2> slots{read_slot(dir_ / slot_names[0]), read_slot(dir_ / slot_names[1])};
  std::uint64_t newest = 0;
  for (const auto& slot : slots) {
    if (slot.copy) newest = std::max(newest, slot.copy->generation);
  }
  // An unusable slot is always the one to overwrite; else the older copy.
  std::size_t target = 0;
  if (slots[0].copy && (!slots[1].copy || slots[1].copy->generation < slots[0].copy->generation)) target = 1;
  return !write_file_atomically(dir_ / slot_names[target], encode_nv(image, newest + 1), 0600);
}

}  // namespace config_store
