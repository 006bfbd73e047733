#include "config_store/nv_codec.hpp"

#include <openssl/evp.h>

#include <array>

namespace config_store {
namespace {

// "SIMNV" then the format version; bump the version when the layout changes.
constexpr std::string_view magic = "SIMNV";
constexpr unsigned char format_version = 1;
constexpr std::size_t digest_size = 32;
constexpr std::size_t header_size = magic.size() + 1 + 8 + 4;  // magic, version, generation, count

std::array<unsigned char, digest_size> sha256(std::string_view bytes) {
  std::array<unsigned char, digest_size> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// Reads big-endian integers and length-prefixed strings; any read past the end marks the reader failed.
class reader {
 public:
  explicit reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t number(int width) {
    if (bytes_.size() - pos_ < static_cast<std::size_t>(width)) return fail();
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_++]);
    return v;
  }
  std::string text() {
    auto length = number(4);
    if (failed_ || bytes_.size() - pos_ < length) return fail(), std::string();
    std::string out(bytes_.substr(pos_, length));
    pos_ += length;
    return out;
  }
  bool at_end() const { return pos_ == bytes_.size(); }
  bool failed() const { return failed_; }

 private:
  std::uint64_t fail() {
    failed_ = true;
    pos_ = bytes_.size();
    return 0;
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace

std::string_view describe(decode_error error) {
  switch (error) {
    case decode_error::too_short:
      return "too short";
    case decode_error::bad_magic:
      return "not an NV image";
    case decode_error::bad_version:
      return "unknown format version";
    case decode_error::bad_checksum:
      return "bad checksum";
    case decode_error::malformed:
      return "malformed";
  }
  return "malformed";
}

std::string encode_nv(const nv_image& image, std::uint64_t generation) {
  std::string out(magic);
  out += static_cast<char>(format_version);
  put_u64(out, generation);
  put_u32(out, static_cast<std::uint32_t>(image.values.size()));
  for (const auto& [key, value] : image.values) {
    put_u32(out, static_cast<std::uint32_t>(key.size()));
    out += key;
    put_u32(out, static_cast<std::uint32_t>(value.size()));
    out += value;
  }
  auto digest = sha256(out);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}

decode_result decode_nv(std::string_view bytes) {
  if (bytes.size() < header_size + digest_size) return decode_error::too_short;
  if (bytes.substr(0, magic.size()) != magic) return decode_error::bad_magic;
  if (static_cast<unsigned char>(bytes[magic.size()]) != format_version) {
    return decode_error::bad_version;
  }
  auto body = bytes.substr(0, bytes.size() - digest_size);
  auto digest = sha256(body);
  if (bytes.substr(body.size()) != std::string_view(reinterpret_cast<const char*>(digest.data()), digest_size)) {
    return decode_error::bad_checksum;
  }
  reader in(body.substr(magic.size() + 1));
  decoded_nv out;
  out.generation = in.number(8);
  auto count = in.number(4);
  for (std::uint64_t i = 0; i < count && !in.failed(); ++i) {
    auto key = in.text();
    auto value = in.text();
    out.image.values[std::move(key)] = std::move(value);
  }
  if (in.failed() || !in.at_end() || out.image.values.size() != count) {
    return decode_error::malformed;
  }
  return out;
}

}  // namespace config_store
