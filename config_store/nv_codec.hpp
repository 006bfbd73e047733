#pragma once
// nv_codec: the NV image as bytes (pure, no I/O). A header with a magic and format version, the generation
// (which copy is newer), length-prefixed keys and values (any bytes), and a SHA-256 of everything before it, so a
// torn, truncated or bit-flipped copy is always detected.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "config_store/nv_image.hpp"

namespace config_store {

// Why a stored copy was rejected.
enum class decode_error { too_short, bad_magic, bad_version, bad_checksum, malformed };

// "too short", "bad checksum", ... for logs.
std::string_view describe(decode_error error);

// One decoded copy: the image and its generation.
struct decoded_nv {
  nv_image image;
  std::uint64_t generation = 0;
};

// A decoded copy, or why the bytes are not one (errors are values).
using decode_result = common::result<decoded_nv, decode_error>;

std::string encode_nv(const nv_image& image, std::uint64_t generation);
decode_result decode_nv(std::string_view bytes);

}  // namespace config_store
