#include "apca/passphrase.hpp"

#include <catch2/catch.hpp>

TEST_CASE("passphrase: a salted hash that matches only the passphrase") {
  auto stored = apca::hash_passphrase("secretkey");
  CHECK(stored.find("secretkey") == std::string::npos);
  CHECK(stored.rfind("pbkdf2-sha256$", 0) == 0);
  CHECK(apca::passphrase_matches(stored, "secretkey"));
  CHECK_FALSE(apca::passphrase_matches(stored, "secretkeY"));
  CHECK_FALSE(apca::passphrase_matches(stored, ""));
  // A fresh salt each time: the same passphrase never gives the same stored text.
  CHECK(apca::hash_passphrase("secretkey") != stored);
}

TEST_CASE("passphrase: malformed stored values never match") {
  for (const char* stored : {"", "secretkey", "pbkdf2-sha256$0$00$00", "pbkdf2-sha256$10$zz$00", "md5$1$00$00",
                             "pbkdf2-sha256$10$0011$0011"}) {
    INFO(stored);
    CHECK_FALSE(apca::passphrase_matches(stored, "secretkey"));
  }
}
