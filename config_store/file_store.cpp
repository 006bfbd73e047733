#include "config_store/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
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
  std::ifstream in(path, std::ios::binary);
  if (!in) return state;
  state.exists = true;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = decode_nv(bytes);
  state.copy = std::move(decoded.value);
  state.error = decoded.error;
  return state;
}

}  // namespace

file_store::file_store(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) {
    std::filesystem::create_directories(dir_, ec);
    // The folder holds secrets (oem/secret, keys): owner only.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  }
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
    // Nothing usable: the module starts from an empty image (detail says why, if a copy was rejected).
    result.from = load_result::source::fresh;
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
