// The +ADA text as the built-in host writes and reads it, and the seeded draws its jitter comes from.
#include <catch2/catch.hpp>

#include "fleet/ada_wire.hpp"
#include "fleet/seeded_random.hpp"

TEST_CASE("ada wire: command lines quote every argument as the module reads them") {
  CHECK(fleet::ada_command({"l"}) == R"(AT+ADA="l")");
  CHECK(fleet::ada_command({"ota", "dl", "module", "idm7"}, ",12800") == R"(AT+ADA="ota","dl","module","idm7",12800)");
  CHECK(fleet::ada_command({"s", "cmd", "s", R"(say "hi" \o/)"}) == R"(AT+ADA="s","cmd","s","say \22hi\22 \5Co/")");
}

TEST_CASE("ada wire: the fields of a +ADA line, decoded, and other lines are not one") {
  using fields = std::vector<std::string>;
  CHECK(fleet::ada_fields(R"(+ADA: "s","Blue_LED","status",0)") == fields{"s", "Blue_LED", "status", "0"});
  CHECK(fleet::ada_fields(R"(+ADA: "p","cmd","s","say \22hi\22")") == fields{"p", "cmd", "s", "say \"hi\""});
  CHECK(fleet::ada_fields(R"(+ADA: "ota","notify","host","idh3",19,"mcu 2.0")") ==
        fields{"ota", "notify", "host", "idh3", "19", "mcu 2.0"});
  CHECK_FALSE(fleet::ada_fields("OK"));
  CHECK_FALSE(fleet::ada_fields(R"(AT+ADA="l")"));            // the echo of a command
  CHECK_FALSE(fleet::ada_fields(R"(+ADA: "p","unterminated)"));
}

TEST_CASE("seeded random: splitmix64, the same draws on every machine") {
  fleet::seeded_random zero(0);
  CHECK(zero.next() == 0xe220a8397b1dcdafULL);
  fleet::seeded_random reference(1234567);
  CHECK(reference.next() == 6457827717110365317ULL);
  CHECK(reference.next() == 3203168211198807973ULL);
  CHECK(reference.next() == 9817491932198370423ULL);
  fleet::seeded_random draws(42);
  for (int i = 0; i < 1000; ++i) {
    const double u = draws.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
}
