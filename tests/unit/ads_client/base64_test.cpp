#include "ads_client/base64.hpp"

#include <catch2/catch.hpp>
#include <random>

using ads_client::base64_decode;
using ads_client::base64_encode;

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[base64]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 decodes the RFC 4648 test vectors", "[base64]") {
  CHECK(base64_decode("") == std::string());
  CHECK(base64_decode("Zg==") == std::string("f"));
  CHECK(base64_decode("Zm8=") == std::string("fo"));
  CHECK(base64_decode("Zm9v") == std::string("foo"));
  CHECK(base64_decode("Zm9vYmFy") == std::string("foobar"));
}

TEST_CASE("base64 round-trips every byte value and length", "[base64]") {
  std::mt19937 random(42);
  for (std::size_t length = 0; length < 300; ++length) {
    std::string bytes(length, '\0');
    for (auto& b : bytes) b = static_cast<char>(random() & 0xff);
    const auto decoded = base64_decode(base64_encode(bytes));
    REQUIRE(decoded.has_value());
    CHECK(*decoded == bytes);
  }
}

TEST_CASE("base64 skips whitespace as in PEM bodies", "[base64]") {
  CHECK(base64_decode("Zm9v\r\nYmFy") == std::string("foobar"));
  CHECK(base64_decode(" Zm 9v\tYm\nE= \n") == std::string("fooba"));
  CHECK(base64_decode("Zm8\n=") == std::string("fo"));
}

TEST_CASE("base64 rejects garbage and bad padding", "[base64]") {
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
  CHECK_FALSE(base64_decode("Zm9").has_value());       // truncated quantum
  CHECK_FALSE(base64_decode("Z===").has_value());      // too much padding
  CHECK_FALSE(base64_decode("Zg=").has_value());       // incomplete padding
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());  // data after padding
  CHECK_FALSE(base64_decode("Zm9v=").has_value());     // padding after a full quantum
  CHECK_FALSE(base64_decode("Zh==").has_value());      // non-zero bits after the last byte
  CHECK_FALSE(base64_decode(std::string("Zm\0v", 4)).has_value());
  CHECK_FALSE(base64_decode("Zm9v-_").has_value());  // URL-safe alphabet is not ours
}
