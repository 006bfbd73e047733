#include "config_store/nv_codec.hpp"

#include <catch2/catch.hpp>

using config_store::decode_error;
using config_store::decode_nv;
using config_store::encode_nv;
using config_store::nv_image;

namespace {

nv_image sample_image() {
  nv_image image;
  image.values["oem/id"] = "ffa10123";
  image.values["oem/secret"] = std::string("s\0e\"c\\r\xff\n", 9);  // any bytes, NUL included
  image.values["id/key"] = std::string(1024, 'K');
  image.values[""] = "";
  return image;
}

}  // namespace

TEST_CASE("nv codec: an encoded image decodes to the same image and generation") {
  auto image = sample_image();
  auto bytes = encode_nv(image, 42);
  auto decoded = decode_nv(bytes);
  REQUIRE(decoded.ok());
  CHECK(decoded->image == image);
  CHECK(decoded->generation == 42);

  auto empty = decode_nv(encode_nv(nv_image{}, 0));
  REQUIRE(empty.ok());
  CHECK(empty->image.values.empty());
}

TEST_CASE("nv codec: every truncation of an encoded image is rejected") {
  auto bytes = encode_nv(sample_image(), 7);
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    INFO("length " << length);
    CHECK_FALSE(decode_nv(std::string_view(bytes).substr(0, length)).ok());
  }
}

TEST_CASE("nv codec: a bit flip at any offset is rejected") {
  auto bytes = encode_nv(sample_image(), 7);
  for (std::size_t offset = 0; offset < bytes.size(); ++offset) {
    for (int bit = 0; bit < 8; bit += 3) {
      auto damaged = bytes;
      damaged[offset] = static_cast<char>(damaged[offset] ^ (1 << bit));
      INFO("offset " << offset << " bit " << bit);
      CHECK_FALSE(decode_nv(damaged).ok());
    }
  }
}

TEST_CASE("nv codec: appended bytes and foreign files are rejected with a reason") {
  auto bytes = encode_nv(sample_image(), 1);
  CHECK(decode_nv(bytes + "x").error() == decode_error::bad_checksum);
  CHECK(decode_nv(std::string(200, 'x')).error() == decode_error::bad_magic);
  CHECK(decode_nv("SIM").error() == decode_error::too_short);
  auto other_version = bytes;
  other_version[5] = 9;
  CHECK(decode_nv(other_version).error() == decode_error::bad_version);
}
